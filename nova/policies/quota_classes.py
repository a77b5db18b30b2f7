"""Policies of os-quota-class-sets (admin only)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-quota-class-sets:%s'
_PATH = '/os-quota-class-sets/{quota_class}'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'show', check_str=base.ADMIN,
        description='Show the limits of a quota class.',
        operations=[{'method': 'GET', 'path': _PATH}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'update', check_str=base.ADMIN,
        description='Update the limits of a quota class.',
        operations=[{'method': 'PUT', 'path': _PATH}]),
]


def list_rules() -> list:
    return rules
