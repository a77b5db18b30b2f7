"""Policies of os-quota-sets: readers see their project, admins all."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-quota-sets:%s'
_PATH = '/os-quota-sets/{tenant_id}'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'update', check_str=base.ADMIN,
        description='Update the quotas of a project or user.',
        operations=[{'method': 'PUT', 'path': _PATH}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'defaults', check_str=base.ANY,
        description='Show the default quotas.',
        operations=[{'method': 'GET', 'path': _PATH + '/defaults'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'show', check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show the quotas of a project or user.',
        operations=[{'method': 'GET', 'path': _PATH}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'delete', check_str=base.ADMIN,
        description='Reset the quotas of a project or user to defaults.',
        operations=[{'method': 'DELETE', 'path': _PATH}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'detail', check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show the quotas of a project or user with usage.',
        operations=[{'method': 'GET', 'path': _PATH + '/detail'}]),
]


def list_rules() -> list:
    return rules
