"""Policies of private flavor access lists (admin only)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-flavor-access'
_ACTION = '/flavors/{flavor_id}/action'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE, check_str=base.ADMIN,
        description='List the projects with access to a private flavor.',
        operations=[{'method': 'GET',
                     'path': '/flavors/{flavor_id}/os-flavor-access'}]),
    policy.DocumentedRuleDefault(
        name=BASE + ':add_tenant_access', check_str=base.ADMIN,
        description='Give a project access to a private flavor.',
        operations=[{'method': 'POST',
                     'path': _ACTION + ' (addTenantAccess)'}]),
    policy.DocumentedRuleDefault(
        name=BASE + ':remove_tenant_access', check_str=base.ADMIN,
        description="Remove a project's access to a private flavor.",
        operations=[{'method': 'POST',
                     'path': _ACTION + ' (removeTenantAccess)'}]),
]


def list_rules() -> list:
    return rules
