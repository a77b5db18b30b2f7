"""Flavor extra spec rules of 2.86 (nova/api/schemas/extra_spec_rules)."""

from __future__ import annotations

import pytest

from nova import exception
from nova.api.schemas import extra_spec_rules


@pytest.mark.parametrize('key, value', [
    ('hw:cpu_policy', 'mixed'),
    ('hw:cpu_realtime_mask', '^0-1'),
    ('hw:numa_cpus.1', '2,3'),
    ('hw:numa_mem.0', '1024'),
    ('hw:mem_page_size', '1GB'),
    ('hw:boot_menu', 'yes'),
    ('hw_video:ram_max_mb', '64'),
    ('os:secure_boot', 'required'),
    ('quota:vif_inbound_peak', '100'),
    ('quota:cpu_limit', '-1'),
    ('resources:MEMORY_MB', '512'),
    ('resources_grp-1:CUSTOM_FPGA', '1'),
    ('trait1:COMPUTE_STATUS_DISABLED', 'forbidden'),
    ('capabilities:hypervisor_type', 's== QEMU'),
    ('capabilities:stats:io_workload', '<= 3'),
    ('aggregate_instance_extra_specs:pool', 'gold'),
    ('accel:device_profile', 'gpu-profile'),
    ('pci_passthrough:alias', 'a1:2, a2:1'),
    ('plain-key', 'anything'),
    ('vendor_x:whatever', 'anything'),
])
def test_valid(key: str, value: str) -> None:
    extra_spec_rules.validate(key, value)


@pytest.mark.parametrize('key, value, words', [
    ('hw:cpu_policy', 'pinned', "'pinned'"),
    ('hw:numa_nodes', '0', "'0'"),
    ('hw:numa_nodes', 'two', "'two'"),
    ('hw:boot_menu', 'maybe', "'maybe'"),
    ('hw:numa_cpus.x', '0', "'hw:numa_cpus.x'"),
    ('hw:typo', '1', "'hw:typo'"),
    ('hw_rng:rate_bytes', '-5', "'-5'"),
    ('resources:VCPUS', '1', "'resources:VCPUS'"),
    ('resources:VCPU', 'one', "'one'"),
    ('trait:NOT_A_REAL_TRAIT', 'required', "'trait:NOT_A_REAL_TRAIT'"),
    ('trait:CUSTOM_X', 'preferred', "'preferred'"),
    ('capabilities:no_such', 'x', "'capabilities:no_such'"),
    ('pci_passthrough:alias', 'a1', "'a1'"),
])
def test_invalid(key: str, value: str, words: str) -> None:
    with pytest.raises(exception.Invalid) as caught:
        extra_spec_rules.validate(key, value)
    assert words in str(caught.value)
