"""Policies of os-instance-actions."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-instance-actions:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'events', check_str=base.ADMIN,
        description='Show the events of an action before 2.51 and the '
                    'traceback of each event from 2.51.',
        operations=[{'method': 'GET',
                     'path': '/servers/{server_id}/os-instance-actions/'
                             '{request_id}'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'events:details',
        check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show the details (what went wrong) of each event '
                    'from 2.84.',
        operations=[{'method': 'GET',
                     'path': '/servers/{server_id}/os-instance-actions/'
                             '{request_id}'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'list', check_str=base.PROJECT_READER_OR_ADMIN,
        description='List the actions of a server.',
        operations=[{'method': 'GET',
                     'path': '/servers/{server_id}/os-instance-actions'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'show', check_str=base.PROJECT_READER_OR_ADMIN,
        description='Show an action of a server.',
        operations=[{'method': 'GET',
                     'path': '/servers/{server_id}/os-instance-actions/'
                             '{request_id}'}]),
]


def list_rules() -> list:
    return rules
