"""Quota limits, and reservations that stay within them under races."""

import pytest

from nova import exception
from nova.db import engine
from nova.db.api import quotas
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.db._race import race

PROJECT = factories.PROJECT_ID
USER = factories.USER_ID


def test_limits_at_every_level(db, ctxt):
    quotas.quota_class_set(ctxt, 'default', 'instances', 10)
    quotas.quota_set(ctxt, PROJECT, 'instances', 5)
    quotas.quota_set(ctxt, PROJECT, 'instances', 6)
    quotas.quota_set(ctxt, PROJECT, 'instances', 2, user_id=USER)

    assert quotas.quota_class_get_all_by_name(ctxt, 'default') == {
        'instances': 10}
    assert quotas.quota_get_all_by_project(ctxt, PROJECT) == {
        'instances': 6}
    assert quotas.quota_get_all_by_project_and_user(
        ctxt, PROJECT, USER) == {'instances': 2}

    quotas.quota_destroy_all_by_project(ctxt, PROJECT)
    assert quotas.quota_get_all_by_project(ctxt, PROJECT) == {}
    assert quotas.quota_get_all_by_project_and_user(
        ctxt, PROJECT, USER) == {}


def test_reserve_and_release_move_project_and_user_usage(db, ctxt):
    quotas.reserve(ctxt, PROJECT, USER, {'instances': 1, 'cores': 2},
                   limits={'instances': 10, 'cores': 20})
    quotas.reserve(ctxt, PROJECT, 'user-b', {'instances': 1, 'cores': 4},
                   limits={'instances': 10, 'cores': 20})
    quotas.release(ctxt, PROJECT, USER, {'cores': 2})

    assert quotas.quota_usage_get_all_by_project(ctxt, PROJECT) == {
        'instances': {'in_use': 2, 'reserved': 0},
        'cores': {'in_use': 4, 'reserved': 0}}
    assert quotas.quota_usage_get_all_by_project_and_user(
        ctxt, PROJECT, USER) == {
        'instances': {'in_use': 1, 'reserved': 0},
        'cores': {'in_use': 0, 'reserved': 0}}


def test_over_quota_names_every_resource_and_changes_nothing(db, ctxt):
    quotas.reserve(ctxt, PROJECT, USER, {'cores': 3}, limits={'cores': 4})

    with pytest.raises(exception.OverQuota) as info:
        quotas.reserve(ctxt, PROJECT, USER,
                       {'cores': 2, 'instances': 1, 'ram': 4096},
                       limits={'cores': 4, 'instances': 10, 'ram': 2048})

    assert info.value.kwargs['resources'] == ['cores', 'ram']
    assert 'cores, ram' in info.value.format_message()
    usage = quotas.quota_usage_get_all_by_project(ctxt, PROJECT)
    assert {r: u['in_use'] for r, u in usage.items()
            if u['in_use']} == {'cores': 3}


def test_user_limit_applies_below_project_limit(db, ctxt):
    limits = {'instances': 10}
    quotas.reserve(ctxt, PROJECT, USER, {'instances': 2}, limits,
                   user_limits={'instances': 2})

    with pytest.raises(exception.OverQuota):
        quotas.reserve(ctxt, PROJECT, USER, {'instances': 1}, limits,
                       user_limits={'instances': 2})
    quotas.reserve(ctxt, PROJECT, 'user-b', {'instances': 1}, limits,
                   user_limits={'instances': 2})


def test_unlimited_and_giving_back_above_a_lowered_limit(db, ctxt):
    quotas.reserve(ctxt, PROJECT, USER, {'ram': 10**6}, limits={'ram': -1})

    # The limit dropped below the usage: giving back must still work,
    # and never below zero.
    quotas.reserve(ctxt, PROJECT, USER, {'ram': -1}, limits={'ram': 10})
    quotas.release(ctxt, PROJECT, USER, {'ram': 10**7})

    usage = quotas.quota_usage_get_all_by_project(ctxt, PROJECT)
    assert usage['ram']['in_use'] == 0


def test_over_quota_inside_callers_transaction_leaves_no_trace(db, ctxt):
    @engine.writer
    def create_two_things(context):
        quotas.reserve(context, PROJECT, USER, {'instances': 1},
                       limits={'instances': 1})
        try:
            quotas.reserve(context, PROJECT, USER,
                           {'instances': 1, 'cores': 1},
                           limits={'instances': 1, 'cores': 10})
        except exception.OverQuota:
            pass  # the caller carries on with its transaction

    create_two_things(ctxt)

    usage = quotas.quota_usage_get_all_by_project(ctxt, PROJECT)
    assert usage['instances']['in_use'] == 1
    assert usage['cores']['in_use'] == 0


def test_usage_set_overwrites(db, ctxt):
    quotas.usage_set(ctxt, PROJECT, 'instances', 7)
    quotas.usage_set(ctxt, PROJECT, 'instances', 3, user_id=USER)

    assert quotas.quota_usage_get_all_by_project(ctxt, PROJECT)[
        'instances']['in_use'] == 7
    assert quotas.quota_usage_get_all_by_project_and_user(
        ctxt, PROJECT, USER)['instances']['in_use'] == 3


@database.all_backends
def test_concurrent_reservations_stay_within_the_limit(db, ctxt):
    # The usage rows do not exist yet: the racers also race to create
    # them, the harder case.
    def reserve(i):
        quotas.reserve(factories.admin_context(), PROJECT, f'user-{i % 3}',
                       {'instances': 1, 'cores': 2},
                       limits={'instances': 10, 'cores': 100})

    won, lost = race(reserve, 20)

    assert len(won) == 10, lost
    assert len(lost) == 10
    assert all(isinstance(e, exception.OverQuota) for e in lost), lost
    usage = quotas.quota_usage_get_all_by_project(ctxt, PROJECT)
    assert usage['instances']['in_use'] == 10
    assert usage['cores']['in_use'] == 20
    per_user = sum(
        quotas.quota_usage_get_all_by_project_and_user(
            ctxt, PROJECT, f'user-{i}').get('instances', {}).get('in_use', 0)
        for i in range(3))
    assert per_user == 10


@database.all_backends
def test_concurrent_reserve_and_release_lose_no_update(db, ctxt):
    # Within bounds on every interleaving: 10 + 10 reservations stay at
    # the limit of 20 and 10 - 10 releases never reach the floor of 0.
    limits = {'instances': 20}
    quotas.reserve(ctxt, PROJECT, USER, {'instances': 10}, limits)

    def churn(i):
        context = factories.admin_context()
        if i % 2:
            quotas.release(context, PROJECT, USER, {'instances': 1})
        else:
            quotas.reserve(context, PROJECT, USER, {'instances': 1}, limits)

    _, errors = race(churn, 20)

    assert errors == []
    usage = quotas.quota_usage_get_all_by_project(ctxt, PROJECT)
    assert usage['instances']['in_use'] == 10
