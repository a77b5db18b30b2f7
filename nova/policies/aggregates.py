"""Policies of os-aggregates (admin only)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-aggregates:%s'

_OPS = [
    ('index', 'List all aggregates.', 'GET', '/os-aggregates'),
    ('create', 'Create an aggregate.', 'POST', '/os-aggregates'),
    ('show', 'Show details of an aggregate.', 'GET',
     '/os-aggregates/{aggregate_id}'),
    ('update', 'Update name and availability zone of an aggregate.',
     'PUT', '/os-aggregates/{aggregate_id}'),
    ('delete', 'Delete an aggregate.', 'DELETE',
     '/os-aggregates/{aggregate_id}'),
    ('add_host', 'Add a host to an aggregate.', 'POST',
     '/os-aggregates/{aggregate_id}/action (add_host)'),
    ('remove_host', 'Remove a host from an aggregate.', 'POST',
     '/os-aggregates/{aggregate_id}/action (remove_host)'),
    ('set_metadata', 'Create or replace metadata of an aggregate.', 'POST',
     '/os-aggregates/{aggregate_id}/action (set_metadata)'),
]

rules = [
    policy.DocumentedRuleDefault(
        name=BASE % name, check_str=base.ADMIN, description=description,
        operations=[{'method': method, 'path': path}])
    for name, description, method, path in _OPS
]
rules.append(policy.DocumentedRuleDefault(
    name='compute:aggregates:images', check_str=base.ADMIN,
    description='Request image pre-caching on the hosts of an aggregate '
                '(2.81).',
    operations=[{'method': 'POST',
                 'path': '/os-aggregates/{aggregate_id}/images'}]))


def list_rules() -> list:
    return rules
