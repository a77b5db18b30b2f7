"""Policies of os-simple-tenant-usage."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-simple-tenant-usage:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'show', check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show usage statistics of one project.',
        operations=[{'method': 'GET',
                     'path': '/os-simple-tenant-usage/{tenant_id}'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'list', check_str=base.ADMIN,
        description='List usage statistics of all projects.',
        operations=[{'method': 'GET', 'path': '/os-simple-tenant-usage'}]),
]


def list_rules() -> list:
    return rules
