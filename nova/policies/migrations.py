"""Policies of os-migrations and /servers/{id}/migrations (admin only)."""

from oslo_policy import policy

from nova.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name='os_compute_api:os-migrations:index', check_str=base.ADMIN,
        description='List migrations.',
        operations=[{'method': 'GET', 'path': '/os-migrations'}]),
    policy.DocumentedRuleDefault(
        name='os_compute_api:servers:migrations:index',
        check_str=base.ADMIN,
        description='List the in-progress live migrations of a server.',
        operations=[{'method': 'GET',
                     'path': '/servers/{server_id}/migrations'}]),
    policy.DocumentedRuleDefault(
        name='os_compute_api:servers:migrations:show',
        check_str=base.ADMIN,
        description='Show an in-progress live migration of a server.',
        operations=[{'method': 'GET',
                     'path': '/servers/{server_id}/migrations/'
                             '{migration_id}'}]),
    policy.DocumentedRuleDefault(
        name='os_compute_api:servers:migrations:force_complete',
        check_str=base.ADMIN,
        description='Force an in-progress live migration of a server to '
                    'complete.',
        operations=[{'method': 'POST',
                     'path': '/servers/{server_id}/migrations/'
                             '{migration_id}/action (force_complete)'}]),
    policy.DocumentedRuleDefault(
        name='os_compute_api:servers:migrations:delete',
        check_str=base.ADMIN,
        description='Abort an in-progress live migration of a server.',
        operations=[{'method': 'DELETE',
                     'path': '/servers/{server_id}/migrations/'
                             '{migration_id}'}]),
]


def list_rules() -> list:
    return rules
