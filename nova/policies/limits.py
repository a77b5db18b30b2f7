"""Policies of GET /limits."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:limits'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE, check_str=base.ANY,
        description="Show the caller's rate and absolute limits.",
        operations=[{'method': 'GET', 'path': '/limits'}]),
    policy.DocumentedRuleDefault(
        name=BASE + ':other_project', check_str=base.ADMIN,
        description='Show the limits of another project (tenant_id).',
        operations=[{'method': 'GET', 'path': '/limits'}]),
]


def list_rules() -> list:
    return rules
