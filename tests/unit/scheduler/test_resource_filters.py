"""Filters on resources, service state and counts."""

import pytest

from nova.scheduler.filters import compute
from nova.scheduler.filters import core
from nova.scheduler.filters import disk
from nova.scheduler.filters import io_ops
from nova.scheduler.filters import num_instances
from nova.scheduler.filters import ram
from nova.scheduler.filters.all_hosts import AllHostsFilter
from tests.unit.scheduler.factories import make_host
from tests.unit.scheduler.factories import make_request


def test_all_hosts_filter_passes_everything():
    assert AllHostsFilter().host_passes(make_host(), make_request())


@pytest.mark.parametrize('up, disabled, passes', [
    (True, False, True), (False, False, False), (True, True, False)])
def test_compute_filter_needs_an_enabled_live_service(up, disabled,
                                                      passes):
    host = make_host(service_up=up, service_disabled=disabled)
    assert compute.ComputeFilter().host_passes(
        host, make_request()) is passes


def test_ram_filter_counts_usage_reserved_and_ratio():
    host = make_host(memory_mb=4096, used={'MEMORY_MB': 3072},
                     reserved={'MEMORY_MB': 512},
                     ratios={'MEMORY_MB': 1.5})
    # (4096 - 512) * 1.5 - 3072 = 2304 free
    assert host.free_ram_mb == 2304
    assert ram.RamFilter().host_passes(host, make_request(memory_mb=2304))
    assert not ram.RamFilter().host_passes(
        host, make_request(memory_mb=2305))


def test_ram_filter_honours_max_unit():
    host = make_host(memory_mb=8192, units={'MEMORY_MB': {'max_unit': 2048}})
    assert not ram.RamFilter().host_passes(host,
                                           make_request(memory_mb=4096))


def test_core_filter_with_overcommit():
    host = make_host(vcpus=4, used={'VCPU': 7}, ratios={'VCPU': 2.0})
    assert core.CoreFilter().host_passes(host, make_request(vcpus=1))
    assert not core.CoreFilter().host_passes(host, make_request(vcpus=2))


def test_disk_filter_counts_ephemeral_and_swap():
    host = make_host(disk_gb=10)
    request = make_request(root_gb=5)
    request.flavor.update(ephemeral_gb=4, swap=1025)
    # 5 + 4 + ceil(1025 / 1024) = 11 GB
    from nova.scheduler.request import resources_from_flavor
    request.resources = resources_from_flavor(request.flavor)
    assert request.resources['DISK_GB'] == 11
    assert not disk.DiskFilter().host_passes(host, request)


def test_host_without_inventory_fails_resource_filters():
    host = make_host(omit=('VCPU',))
    assert not core.CoreFilter().host_passes(host, make_request())
    assert core.CoreFilter().filter_all([host], make_request()) == []


def test_zero_sized_resource_skips_the_filter():
    assert not disk.DiskFilter().relevant(make_request(root_gb=0))


def test_num_instances_filter(flags):
    flags(max_instances_per_host=2)
    passes = num_instances.NumInstancesFilter().host_passes
    assert passes(make_host(num_instances=1), make_request())
    assert not passes(make_host(num_instances=2), make_request())


def test_io_ops_filter(flags):
    flags(max_io_ops_per_host=1)
    passes = io_ops.IoOpsFilter().host_passes
    assert passes(make_host(num_io_ops=0), make_request())
    assert not passes(make_host(num_io_ops=1), make_request())


def test_consume_updates_what_filters_see():
    host = make_host(memory_mb=1024)
    host.consume({'MEMORY_MB': 1024, 'VCPU': 1})
    assert host.free_ram_mb == 0
    assert host.num_instances == 1 and host.num_io_ops == 1
    assert not ram.RamFilter().host_passes(host,
                                           make_request(memory_mb=1))


@pytest.mark.parametrize('flt', [ram.RamFilter(), core.CoreFilter(),
                                 disk.DiskFilter(), compute.ComputeFilter()])
def test_fast_path_agrees_with_host_passes(flt):
    hosts = [
        make_host('plain'),
        make_host('full', used={'VCPU': 8, 'MEMORY_MB': 8192,
                                'DISK_GB': 100}),
        make_host('stepped', units={rc: {'step_size': 3, 'min_unit': 3}
                                    for rc in ('VCPU', 'MEMORY_MB',
                                               'DISK_GB')}),
        make_host('capped', units={rc: {'max_unit': 1}
                                   for rc in ('VCPU', 'MEMORY_MB',
                                              'DISK_GB')}),
        make_host('empty', omit=('VCPU', 'MEMORY_MB', 'DISK_GB')),
        make_host('down', service_up=False),
    ]
    for request in (make_request(vcpus=1, memory_mb=1, root_gb=1),
                    make_request(vcpus=3, memory_mb=3, root_gb=3),
                    make_request(vcpus=2, memory_mb=512, root_gb=2)):
        expected = [h for h in hosts if flt.host_passes(h, request)]
        assert flt.filter_all(hosts, request) == expected
