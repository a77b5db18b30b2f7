"""Policies of os-services (admin only)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-services:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'list', check_str=base.ADMIN,
        description='List all running Compute services in a region.',
        operations=[{'method': 'GET', 'path': '/os-services'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'update', check_str=base.ADMIN,
        description='Update a Compute service (enable, disable, force '
                    'down).',
        operations=[{'method': 'PUT', 'path': '/os-services/{service_id}'},
                    {'method': 'PUT', 'path': '/os-services/enable'},
                    {'method': 'PUT', 'path': '/os-services/disable'},
                    {'method': 'PUT',
                     'path': '/os-services/disable-log-reason'},
                    {'method': 'PUT', 'path': '/os-services/force-down'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'delete', check_str=base.ADMIN,
        description='Delete a Compute service.',
        operations=[{'method': 'DELETE',
                     'path': '/os-services/{service_id}'}]),
]


def list_rules() -> list:
    return rules
