"""Policies of os-hosts (admin only; the API ends at 2.42)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-hosts:%s'

_OPS = [
    ('list', 'List physical hosts.', 'GET', '/os-hosts'),
    ('show', 'Show the resources of a host.', 'GET',
     '/os-hosts/{host_name}'),
    ('update', 'Update status or maintenance mode of a host.', 'PUT',
     '/os-hosts/{host_name}'),
    ('reboot', 'Reboot a host.', 'GET', '/os-hosts/{host_name}/reboot'),
    ('shutdown', 'Shut down a host.', 'GET',
     '/os-hosts/{host_name}/shutdown'),
    ('start', 'Start a host.', 'GET', '/os-hosts/{host_name}/startup'),
]

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % name, check_str=base.ADMIN, description=description,
        operations=[{'method': method, 'path': path}])
    for name, description, method, path in _OPS
]


def list_rules() -> list:
    return rules
