"""Policies of os-keypairs: a user's own key pairs, or any for admins.

The target is ``{'user_id': <owner>}``; naming another user (2.10) is
therefore admin-only.
"""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-keypairs:%s'
ADMIN_OR_OWNER = '(' + base.ADMIN + ') or user_id:%(user_id)s'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'index', check_str=ADMIN_OR_OWNER,
        description='List the key pairs of a user.',
        operations=[{'method': 'GET', 'path': '/os-keypairs'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'create', check_str=ADMIN_OR_OWNER,
        description='Create or import a key pair.',
        operations=[{'method': 'POST', 'path': '/os-keypairs'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'delete', check_str=ADMIN_OR_OWNER,
        description='Delete a key pair.',
        operations=[{'method': 'DELETE',
                     'path': '/os-keypairs/{keypair_name}'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'show', check_str=ADMIN_OR_OWNER,
        description='Show a key pair.',
        operations=[{'method': 'GET',
                     'path': '/os-keypairs/{keypair_name}'}]),
]


def list_rules() -> list:
    return rules
