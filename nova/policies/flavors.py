"""Policies of flavor management (os-flavor-manage; admin only).

Listing and showing flavors has no rule, as upstream: every
authenticated user may see the flavors they can use.
"""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-flavor-manage:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'create', check_str=base.ADMIN,
        description='Create a flavor.',
        operations=[{'method': 'POST', 'path': '/flavors'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'update', check_str=base.ADMIN,
        description='Update the description of a flavor (2.55).',
        operations=[{'method': 'PUT', 'path': '/flavors/{flavor_id}'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'delete', check_str=base.ADMIN,
        description='Delete a flavor.',
        operations=[{'method': 'DELETE', 'path': '/flavors/{flavor_id}'}]),
]


def list_rules() -> list:
    return rules
