"""Policies of os-availability-zone."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-availability-zone:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % 'list', check_str=base.ANY,
        description='List availability zones and whether they are up.',
        operations=[{'method': 'GET', 'path': '/os-availability-zone'}]),
    policy.DocumentedRuleDefault(
        name=BASE % 'detail', check_str=base.ADMIN,
        description='List availability zones with their hosts and '
                    'services.',
        operations=[{'method': 'GET',
                     'path': '/os-availability-zone/detail'}]),
]


def list_rules() -> list:
    return rules
