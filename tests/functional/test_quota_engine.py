"""The quota engine (nova.quota) on real databases.

Reservations race in real threads on SQLite, MariaDB and PostgreSQL: the
number that succeed must be exactly what the limit allows, and a
reservation of several resources must move all of its counters or none.
"""

import pytest

from nova import exception
from nova import quota
from nova.db.api import quotas as quotas_db
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.db._race import race

PROJECT = factories.PROJECT_ID
USER = factories.USER_ID


def _in_use(ctxt, user_id=None):
    return {name: usage['in_use'] for name, usage in
            quota.get_usages(ctxt, PROJECT, user_id).items()
            if name in quota.RESERVED_RESOURCES}


def _reserver(deltas, user_id=USER):
    def reserve(i):
        # One context per thread: each gets its own transaction.
        quota.reserve(factories.admin_context(), PROJECT, user_id, deltas)
        return i
    return reserve


@database.all_backends
def test_racing_reservations_never_pass_the_limit(db):
    ctxt = factories.admin_context()
    quota.update_limits(ctxt, PROJECT, {'instances': 5})

    results, errors = race(_reserver({'instances': 1}), 16)

    assert len(results) == 5
    assert len(errors) == 11
    assert all(isinstance(e, exception.OverQuota) for e in errors)
    assert _in_use(ctxt)['instances'] == 5
    assert _in_use(ctxt, USER)['instances'] == 5


@database.all_backends
def test_racing_multi_resource_reservations_are_all_or_nothing(db):
    ctxt = factories.admin_context()
    # Cores run out first; instances and ram must not move for the losers.
    quota.update_limits(ctxt, PROJECT, {'cores': 10, 'instances': 100,
                                        'ram': 100000})

    results, errors = race(
        _reserver({'instances': 1, 'cores': 3, 'ram': 512}), 12)

    assert len(results) == 3
    assert all(isinstance(e, exception.OverQuota) for e in errors)
    assert _in_use(ctxt) == {'instances': 3, 'cores': 9, 'ram': 1536}


@database.all_backends
def test_racing_users_respect_their_own_limit(db):
    ctxt = factories.admin_context()
    quota.update_limits(ctxt, PROJECT, {'instances': 10})
    quota.update_limits(ctxt, PROJECT, {'instances': 2}, user_id=USER)

    mine, _ = race(_reserver({'instances': 1}), 6)
    theirs, _ = race(_reserver({'instances': 1}, user_id='user-b'), 12)

    assert len(mine) == 2
    # user-b has no limit of its own: the project's 10 minus alice's 2.
    assert len(theirs) == 8
    assert _in_use(ctxt)['instances'] == 10


@database.all_backends
def test_release_makes_room_again(db):
    ctxt = factories.admin_context()
    quota.update_limits(ctxt, PROJECT, {'cores': 4})
    quota.reserve(ctxt, PROJECT, USER, {'cores': 4})
    with pytest.raises(exception.OverQuota):
        quota.reserve(ctxt, PROJECT, USER, {'cores': 1})

    quota.release(ctxt, PROJECT, USER, {'cores': 2})
    quota.reserve(ctxt, PROJECT, USER, {'cores': 2})

    assert _in_use(ctxt)['cores'] == 4


def test_over_quota_names_each_resource_limit_and_usage(db):
    ctxt = factories.admin_context()
    quota.update_limits(ctxt, PROJECT, {'cores': 4, 'ram': 1024})
    quota.reserve(ctxt, PROJECT, USER, {'cores': 3, 'ram': 512})

    with pytest.raises(exception.OverQuota) as info:
        quota.reserve(ctxt, PROJECT, USER,
                      {'cores': 2, 'ram': 1024, 'instances': 1})

    message = info.value.format_message()
    assert 'cores (requested 2, already used 3 of 4)' in message
    assert 'ram (requested 1024, already used 512 of 1024)' in message
    assert 'instances' not in message
    assert info.value.kwargs['resources'] == ['cores', 'ram']
    assert info.value.kwargs['quotas'] == {'cores': 4, 'ram': 1024}
    assert _in_use(ctxt) == {'instances': 0, 'cores': 3, 'ram': 512}


def test_limits_resolve_config_class_project_user(db):
    ctxt = factories.admin_context()
    assert quota.get_limits(ctxt, PROJECT)['instances'] == 10

    quotas_db.quota_class_set(ctxt, 'default', 'instances', 20)
    assert quota.get_defaults(ctxt)['instances'] == 20
    assert quota.get_limits(ctxt, PROJECT)['instances'] == 20

    quota.update_limits(ctxt, PROJECT, {'instances': 15})
    assert quota.get_limits(ctxt, PROJECT)['instances'] == 15
    assert quota.get_limits(ctxt, 'project-b')['instances'] == 20

    quota.update_limits(ctxt, PROJECT, {'instances': 5}, user_id=USER)
    assert quota.get_limits(ctxt, PROJECT, USER)['instances'] == 5
    assert quota.get_limits(ctxt, PROJECT, 'user-b')['instances'] == 15

    quota.delete_limits(ctxt, PROJECT, user_id=USER)
    assert quota.get_limits(ctxt, PROJECT, USER)['instances'] == 15
    quota.delete_limits(ctxt, PROJECT)
    assert quota.get_limits(ctxt, PROJECT, USER)['instances'] == 20


def test_class_limits_fall_back_to_the_default_class(db):
    ctxt = factories.admin_context()
    quota.update_class_limits(ctxt, 'default', {'cores': 30})
    quota.update_class_limits(ctxt, 'gold', {'ram': 99})

    gold = quota.get_class_limits(ctxt, 'gold')

    assert gold['ram'] == 99
    assert gold['cores'] == 30
    assert gold['instances'] == 10


def test_counted_key_pairs_per_user(db):
    ctxt = factories.admin_context()
    quota.update_limits(ctxt, PROJECT, {'key_pairs': 2}, user_id=USER)
    factories.make_keypair(ctxt, user_id=USER)
    quota.check_deltas(ctxt, PROJECT, USER, 'key_pairs', 1)
    factories.make_keypair(ctxt, user_id=USER)

    with pytest.raises(exception.OverQuota) as info:
        quota.check_deltas(ctxt, PROJECT, USER, 'key_pairs', 1)

    assert info.value.kwargs['resources'] == ['key_pairs']
    assert 'already used 2 of 2' in info.value.format_message()
    # Another user of the project is not affected.
    quota.check_deltas(ctxt, PROJECT, 'user-b', 'key_pairs', 1)
    assert quota.get_usages(ctxt, PROJECT, USER)['key_pairs'][
        'in_use'] == 2


def test_counted_server_groups_per_project(db):
    from nova.db.api import server_groups as server_groups_db
    ctxt = factories.admin_context()
    quota.update_limits(ctxt, PROJECT, {'server_groups': 1})
    quota.check_deltas(ctxt, PROJECT, USER, 'server_groups', 1)
    server_groups_db.instance_group_create(ctxt, {
        'uuid': '11111111-2222-3333-4444-555555555555', 'name': 'g',
        'project_id': PROJECT, 'user_id': 'someone-else',
        'policy': 'affinity'})

    with pytest.raises(exception.OverQuota):
        quota.check_deltas(ctxt, PROJECT, USER, 'server_groups', 1)

    assert quota.get_usages(ctxt, PROJECT)['server_groups']['in_use'] == 1
    quota.check_deltas(ctxt, 'project-b', USER, 'server_groups', 1)


def test_usage_below_a_new_limit_needs_force(db):
    ctxt = factories.admin_context()
    quota.reserve(ctxt, PROJECT, USER, {'instances': 3})

    with pytest.raises(exception.Invalid):
        quota.update_limits(ctxt, PROJECT, {'instances': 2})
    quota.update_limits(ctxt, PROJECT, {'instances': -1})
    quota.update_limits(ctxt, PROJECT, {'instances': 2}, force=True)

    assert quota.get_limits(ctxt, PROJECT)['instances'] == 2


@database.all_backends
def test_reset_to_defaults_keeps_usage(db):
    ctxt = factories.admin_context()
    quota.update_limits(ctxt, PROJECT, {'instances': 3})
    quota.update_limits(ctxt, PROJECT, {'instances': 3}, user_id=USER)
    quota.reserve(ctxt, PROJECT, USER, {'instances': 3})

    quota.delete_limits(ctxt, PROJECT, user_id=USER)
    assert quota.get_limits(ctxt, PROJECT, USER)['instances'] == 3
    quota.delete_limits(ctxt, PROJECT)

    assert quota.get_limits(ctxt, PROJECT, USER)['instances'] == 10
    assert _in_use(ctxt) == {'instances': 3, 'cores': 0, 'ram': 0}
    assert _in_use(ctxt, USER)['instances'] == 3
    quota.update_limits(ctxt, PROJECT, {'instances': 3})
    with pytest.raises(exception.OverQuota):
        quota.reserve(ctxt, PROJECT, USER, {'instances': 1})
