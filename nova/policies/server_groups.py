"""Policies of os-server-groups: project users manage their groups."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-server-groups:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'create', check_str=base.PROJECT_MEMBER,
        description='Create a new server group.',
        operations=[{'method': 'POST', 'path': '/os-server-groups'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'delete', check_str=base.PROJECT_MEMBER_OR_ADMIN,
        description='Delete a server group.',
        operations=[{'method': 'DELETE',
                     'path': '/os-server-groups/{server_group_id}'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'index', check_str=base.PROJECT_READER_OR_ADMIN,
        description='List the server groups of the project.',
        operations=[{'method': 'GET', 'path': '/os-server-groups'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'index:all_projects', check_str=base.ADMIN,
        description='List the server groups of all projects.',
        operations=[{'method': 'GET', 'path': '/os-server-groups'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'show', check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show details of a server group.',
        operations=[{'method': 'GET',
                     'path': '/os-server-groups/{server_group_id}'}]),
]


def list_rules() -> list:
    return rules
