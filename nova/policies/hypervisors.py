"""Policies of os-hypervisors (admin only)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-hypervisors:%s'

_OPS = [
    ('list', 'List all hypervisors.', '/os-hypervisors'),
    ('list-detail', 'List all hypervisors with details.',
     '/os-hypervisors/detail'),
    ('statistics', 'Show summary statistics of all hypervisors.',
     '/os-hypervisors/statistics'),
    ('show', 'Show details of a hypervisor.',
     '/os-hypervisors/{hypervisor_id}'),
    ('uptime', 'Show the uptime of a hypervisor.',
     '/os-hypervisors/{hypervisor_id}/uptime'),
    ('search', 'Search hypervisors by hostname pattern.',
     '/os-hypervisors/{hypervisor_hostname_pattern}/search'),
    ('servers', 'List the servers on hypervisors.',
     '/os-hypervisors/{hypervisor_hostname_pattern}/servers'),
]

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % name, check_str=base.ADMIN, description=description,
        operations=[{'method': 'GET', 'path': path}])
    for name, description, path in _OPS
]


def list_rules() -> list:
    return rules
