"""What flavor extra specs may say from 2.86.

A key in a namespace we know (``hw``, ``hw_rng``, ``hw_video``, ``os``,
``quota``, ``accel``, ``pci_passthrough``, ``capabilities``,
``aggregate_instance_extra_specs``, ``resources{group}``,
``trait{group}``) must be one of the keys below and its value must fit
the key's rule; anything else is a 400. Keys without a namespace and
namespaces we do not know (e.g. a vendor driver's ``vmware`` or
``powervm``) pass through unchecked, as upstream does for namespaces it
has no validator for. Resource classes and traits come from
os-resource-classes and os-traits, the libraries placement uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import os_resource_classes
import os_traits
from oslo_utils import strutils

from nova import exception
from nova.i18n import _

Rule = Callable[[str], bool]

_CPU_MASK = r'\^?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*'
_GROUP = r'([a-zA-Z0-9_-]{1,64})?'


def _bool(value: str) -> bool:
    try:
        strutils.bool_from_string(value, strict=True)
    except ValueError:
        return False
    return True


def _int(low: int | None = None) -> Rule:
    def check(value: str) -> bool:
        try:
            number = int(value)
        except ValueError:
            return False
        return low is None or number >= low
    return check


def _enum(*choices: str) -> Rule:
    return lambda value: value in choices


def _pattern(regex: str) -> Rule:
    return lambda value: re.fullmatch(regex, value) is not None


def _any(value: str) -> bool:
    return True


# Exact key -> rule.
_KEYS: dict[str, Rule] = {
    'hw:cpu_realtime': _bool,
    'hw:cpu_realtime_mask': _pattern(r'(\^)?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*'),
    'hw:hide_hypervisor_id': _bool,
    'hw:cpu_policy': _enum('dedicated', 'shared', 'mixed'),
    'hw:cpu_thread_policy': _enum('prefer', 'isolate', 'require'),
    'hw:emulator_threads_policy': _enum('isolate', 'share'),
    'hw:cpu_dedicated_mask': _pattern(_CPU_MASK),
    'hw:mem_page_size': _pattern(
        r'(large|small|any|\d+([kKMGT]i?)?(b|bit|B)?)'),
    'hw:numa_nodes': _int(1),
    'hw:pci_numa_affinity_policy': _enum('required', 'preferred', 'legacy',
                                         'socket'),
    'hw:cpu_sockets': _int(1), 'hw:cpu_cores': _int(1),
    'hw:cpu_threads': _int(1),
    # Both spellings have been registered upstream over time.
    'hw:cpu_max_sockets': _int(1), 'hw:cpu_max_cores': _int(1),
    'hw:cpu_max_threads': _int(1), 'hw:max_cpu_sockets': _int(1),
    'hw:max_cpu_cores': _int(1), 'hw:max_cpu_threads': _int(1),
    'hw:boot_menu': _bool,
    'hw:mem_encryption': _bool,
    'hw:pmem': _pattern('([a-zA-Z0-9_]+(,)?)+'),
    'hw:pmu': _bool,
    'hw:serial_port_count': _int(0),
    'hw:tpm_model': _enum('tpm-tis', 'tpm-crb'),
    'hw:tpm_version': _enum('1.2', '2.0'),
    'hw:tpm_secret_security': _enum('user', 'host', 'deployment'),
    'hw:watchdog_action': _enum('none', 'pause', 'poweroff', 'reset',
                                'disabled'),
    'hw:locked_memory': _bool,
    'hw:virtio_packed_ring': _bool,
    'hw:vif_multiqueue_enabled': _bool,
    'hw:viommu_model': _enum('intel', 'smmuv3', 'virtio', 'auto'),
    'hw:ephemeral_encryption': _bool,
    'hw:ephemeral_encryption_format': _enum('luks', 'plain'),
    'hw:maxphysaddr_mode': _enum('emulate', 'passthrough'),
    'hw:maxphysaddr_bits': _int(1),
    'hw:mem_encryption_model': _any,
    'hw_rng:allowed': _bool,
    'hw_rng:rate_bytes': _int(0),
    'hw_rng:rate_period': _int(0),
    'hw_video:ram_max_mb': _int(0),
    'os:secure_boot': _enum('disabled', 'required'),
    'accel:device_profile': _any,
    'pci_passthrough:alias': _pattern(r'[^:]+:\d+(?:\s*,\s*[^:]+:\d+)*'),
}
for _resource in ('cpu', 'memory', 'disk_io', 'vif'):
    _KEYS[f'quota:{_resource}_limit'] = _int()
    _KEYS[f'quota:{_resource}_reservation'] = _int()
    _KEYS[f'quota:{_resource}_shares_level'] = _any
    _KEYS[f'quota:{_resource}_shares_share'] = _int()
for _key in ('shares', 'period', 'quota'):
    _KEYS[f'quota:cpu_{_key}'] = _int(0)
for _stat in ('read', 'write', 'total'):
    for _metric in ('bytes', 'iops'):
        _KEYS[f'quota:disk_{_stat}_{_metric}_sec'] = _int(0)
for _stat in ('inbound', 'outbound'):
    for _metric in ('average', 'peak', 'burst'):
        _KEYS[f'quota:vif_{_stat}_{_metric}'] = _int(0)

_CAPABILITIES = (
    'id', 'uuid', 'service_id', 'host', 'vcpus', 'memory_mb', 'local_gb',
    'vcpus_used', 'memory_mb_used', 'local_gb_used', 'hypervisor_type',
    'hypervisor_version', 'hypervisor_hostname', 'free_ram_mb',
    'free_disk_gb', 'current_workload', 'running_vms',
    'disk_available_least', 'host_ip', 'mapped', 'cpu_allocation_ratio',
    'ram_allocation_ratio', 'disk_allocation_ratio', 'total_usable_ram_mb',
    'total_usable_disk_gb', 'disk_mb_used', 'free_disk_mb', 'vcpus_total',
    'num_instances', 'num_io_ops', 'failed_builds', 'aggregates',
    'cell_uuid', 'updated')
_NESTED_CAPABILITIES = (
    'cpu_info', 'metrics', 'stats', 'numa_topology', 'supported_hv_specs',
    'pci_device_pools', 'nodename', 'pci_stats', 'supported_instances',
    'limits', 'instances')
for _name in _CAPABILITIES:
    _KEYS[f'capabilities:{_name}'] = _any

_RESOURCE_CLASSES = frozenset(os_resource_classes.STANDARDS)
_TRAITS = frozenset(os_traits.get_traits())


def _resource_class(name: str) -> bool:
    return name in _RESOURCE_CLASSES or \
        re.fullmatch('CUSTOM_[A-Z0-9_]+', name) is not None


def _trait(name: str) -> bool:
    return name in _TRAITS or \
        re.fullmatch('CUSTOM_[A-Z0-9_]+', name) is not None


# (key regex, extra check on a group of the match, value rule).
_PATTERNS: list[tuple[str, Callable[[re.Match], bool], Rule]] = [
    (r'hw:numa_cpus\.\d+', lambda m: True, _pattern(_CPU_MASK)),
    (r'hw:numa_mem\.\d+', lambda m: True, _int(1)),
    (rf'resources{_GROUP}:(.+)',
     lambda m: _resource_class(m.group(2)), _int()),
    (rf'trait{_GROUP}:(.+)', lambda m: _trait(m.group(2)),
     _enum('required', 'forbidden')),
    (r'aggregate_instance_extra_specs:.+', lambda m: True, _any),
    (r'capabilities:({})(:\w+)*'.format('|'.join(_NESTED_CAPABILITIES)),
     lambda m: True, _any),
]

_NAMESPACES = (r'hw', r'hw_rng', r'hw_video', r'os', r'quota', r'accel',
               r'pci_passthrough', r'capabilities',
               r'aggregate_instance_extra_specs', rf'resources{_GROUP}',
               rf'trait{_GROUP}')


def validate(key: str, value: str) -> None:
    """Raise Invalid (400) when ``key`` is unknown in a namespace we know,
    or its value breaks the key's rule."""
    rule = _KEYS.get(key)
    if rule is None:
        for regex, fits, value_rule in _PATTERNS:
            match = re.fullmatch(regex, key)
            if match and fits(match):
                rule = value_rule
                break
    if rule is None:
        namespace = key.split(':', 1)[0] if ':' in key else None
        if namespace is not None and any(
                re.fullmatch(known, namespace) for known in _NAMESPACES):
            raise exception.Invalid(reason=_(
                "Validation failed; extra spec '%s' does not appear to be "
                "a valid extra spec.") % key)
        return
    if not rule(value):
        raise exception.Invalid(reason=_(
            "Validation failed; '%(value)s' is not a valid value for "
            "extra spec '%(key)s'.") % {'value': value, 'key': key})
