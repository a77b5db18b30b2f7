"""Policies of flavor extra specs: readers read, admins write."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-flavor-extra-specs:%s'
_COLLECTION = '/flavors/{flavor_id}/os-extra_specs'
_ITEM = _COLLECTION + '/{flavor_extra_spec_key}'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'index', check_str=base.PROJECT_READER_OR_ADMIN,
        description='List the extra specs of a flavor.',
        operations=[{'method': 'GET', 'path': _COLLECTION}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'show', check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show one extra spec of a flavor.',
        operations=[{'method': 'GET', 'path': _ITEM}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'create', check_str=base.ADMIN,
        description='Create or change extra specs of a flavor.',
        operations=[{'method': 'POST', 'path': _COLLECTION}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'update', check_str=base.ADMIN,
        description='Change one extra spec of a flavor.',
        operations=[{'method': 'PUT', 'path': _ITEM}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'delete', check_str=base.ADMIN,
        description='Delete one extra spec of a flavor.',
        operations=[{'method': 'DELETE', 'path': _ITEM}]),
]


def list_rules() -> list:
    return rules
