"""The quota engine's rules, with the data layer replaced by dicts."""

import pytest
from oslo_config import cfg

from nova import exception
from nova import quota
from tests.fixtures.conf import prepare_conf

CONF = cfg.CONF


class FakeStore:
    """Stands in for nova.db.api.quotas, keypairs and server_groups."""

    def __init__(self):
        self.classes = {}
        self.projects = {}
        self.users = {}
        self.usages = {}
        self.key_pairs = {}
        self.groups = {}
        self.reserved = []

    def install(self, monkeypatch):
        db = quota.quotas_db
        monkeypatch.setattr(db, 'quota_class_get_all_by_name',
                            lambda ctxt, name: dict(
                                self.classes.get(name, {})))
        monkeypatch.setattr(db, 'quota_get_all_by_project',
                            lambda ctxt, p: dict(self.projects.get(p, {})))
        monkeypatch.setattr(db, 'quota_get_all_by_project_and_user',
                            lambda ctxt, p, u: dict(
                                self.users.get((p, u), {})))
        monkeypatch.setattr(db, 'quota_usage_get_all_by_project',
                            lambda ctxt, p: self.usages.get((p, None), {}))
        monkeypatch.setattr(db, 'quota_usage_get_all_by_project_and_user',
                            lambda ctxt, p, u: self.usages.get((p, u), {}))
        monkeypatch.setattr(db, 'quota_set', self._set)
        monkeypatch.setattr(db, 'reserve', self._reserve)
        monkeypatch.setattr(quota.keypairs_db, 'key_pair_count_by_user',
                            lambda ctxt, u: self.key_pairs.get(u, 0))
        monkeypatch.setattr(quota.server_groups_db, 'instance_group_get_all',
                            lambda ctxt, project_id: [{}] * self.groups.get(
                                project_id, 0))
        return self

    def _set(self, ctxt, project_id, resource, limit, user_id=None):
        if user_id is None:
            self.projects.setdefault(project_id, {})[resource] = limit
        else:
            self.users.setdefault((project_id, user_id), {})[
                resource] = limit

    def _reserve(self, ctxt, project_id, user_id, deltas, limits,
                 user_limits=None):
        self.reserved.append((project_id, user_id, dict(deltas),
                              dict(limits), dict(user_limits or {})))
        overs = sorted(r for r, d in deltas.items()
                       if limits.get(r, -1) != -1 and d > limits[r])
        if overs:
            raise exception.OverQuota(overs=', '.join(overs),
                                      resources=overs)


@pytest.fixture
def store(monkeypatch):
    prepare_conf()
    return FakeStore().install(monkeypatch)


def test_defaults_come_from_config(store):
    CONF.set_override('cores', 7, group='quota')
    try:
        defaults = quota.get_defaults(None)
    finally:
        CONF.clear_override('cores', group='quota')
    assert defaults['cores'] == 7
    assert defaults['injected_file_path_bytes'] == \
        CONF.quota.injected_file_path_length
    assert set(defaults) == set(quota.RESOURCES)


def test_each_level_overrides_the_one_before(store):
    store.classes['default'] = {'instances': 20, 'cores': 30}
    store.projects['p'] = {'instances': 15, 'ram': 1}
    store.users[('p', 'u')] = {'instances': 5}

    assert quota.get_limits(None, 'p', 'u')['instances'] == 5
    assert quota.get_limits(None, 'p')['instances'] == 15
    assert quota.get_limits(None, 'p', 'u')['cores'] == 30
    assert quota.get_limits(None, 'p', 'u')['ram'] == 1
    assert quota.get_limits(None, 'other')['instances'] == 20


def test_unknown_and_null_rows_are_ignored(store):
    store.projects['p'] = {'floating_ips': 3, 'cores': None}

    limits = quota.get_limits(None, 'p')

    assert 'floating_ips' not in limits
    assert limits['cores'] == CONF.quota.cores


def test_named_class_falls_back_to_default_class(store):
    store.classes['default'] = {'cores': 30}
    store.classes['gold'] = {'ram': 5}

    gold = quota.get_class_limits(None, 'gold')

    assert (gold['cores'], gold['ram']) == (30, 5)


def test_usages_fill_every_resource(store):
    store.usages[('p', None)] = {'cores': {'in_use': 3, 'reserved': 1}}
    store.groups['p'] = 2
    store.key_pairs['u'] = 4

    project = quota.get_usages(None, 'p')
    user = quota.get_usages(None, 'p', 'u')

    assert project['cores'] == {'in_use': 3, 'reserved': 1}
    assert project['instances'] == {'in_use': 0, 'reserved': 0}
    assert project['server_groups']['in_use'] == 2
    # Key pairs belong to users: nothing to count for a whole project.
    assert project['key_pairs']['in_use'] == 0
    assert user['key_pairs']['in_use'] == 4


def test_reserve_passes_project_and_user_limits(store):
    store.projects['p'] = {'cores': 8}
    store.users[('p', 'u')] = {'cores': 4}

    quota.reserve(None, 'p', 'u', {'cores': 2})

    _, _, deltas, limits, user_limits = store.reserved[-1]
    assert deltas == {'cores': 2}
    assert limits['cores'] == 8
    assert user_limits['cores'] == 4


def test_reserve_without_user_has_no_user_limits(store):
    quota.reserve(None, 'p', None, {'instances': 1})

    assert store.reserved[-1][4] == {}


def test_reserve_over_quota_names_limit_and_usage(store):
    store.projects['p'] = {'ram': 100}
    store.usages[('p', 'u')] = {'ram': {'in_use': 60, 'reserved': 0}}

    with pytest.raises(exception.OverQuota) as info:
        quota.reserve(None, 'p', 'u', {'ram': 500})

    assert info.value.kwargs['resources'] == ['ram']
    assert info.value.kwargs['quotas'] == {'ram': 100}
    assert 'ram (requested 500, already used 60 of 100)' in \
        info.value.format_message()


def test_reserve_refuses_counted_resources(store):
    with pytest.raises(ValueError):
        quota.reserve(None, 'p', 'u', {'key_pairs': 1})


def test_check_deltas_counts_key_pairs_per_user(store):
    store.users[('p', 'u')] = {'key_pairs': 3}
    store.key_pairs['u'] = 2
    quota.check_deltas(None, 'p', 'u', 'key_pairs', 1)

    store.key_pairs['u'] = 3
    with pytest.raises(exception.OverQuota):
        quota.check_deltas(None, 'p', 'u', 'key_pairs', 1)


def test_check_deltas_takes_the_callers_count(store):
    store.projects['p'] = {'server_group_members': 2,
                           'metadata_items': 3}

    quota.check_deltas(None, 'p', 'u', 'server_group_members', 1,
                       current=1)
    quota.check_deltas(None, 'p', 'u', 'metadata_items', 3)
    with pytest.raises(exception.OverQuota):
        quota.check_deltas(None, 'p', 'u', 'server_group_members', 1,
                           current=2)
    with pytest.raises(exception.OverQuota):
        quota.check_deltas(None, 'p', 'u', 'metadata_items', 4)


def test_check_deltas_unlimited_and_nothing_added(store):
    store.projects['p'] = {'server_groups': -1}
    store.groups['p'] = 1000
    quota.check_deltas(None, 'p', 'u', 'server_groups', 1)
    store.projects['p'] = {'server_groups': 0}
    quota.check_deltas(None, 'p', 'u', 'server_groups', 0)


def test_update_refuses_limits_below_usage_unless_forced(store):
    store.usages[('p', None)] = {'cores': {'in_use': 4, 'reserved': 1}}

    with pytest.raises(exception.Invalid) as info:
        quota.update_limits(None, 'p', {'cores': 4})
    assert 'already used and reserved 5' in info.value.format_message()

    quota.update_limits(None, 'p', {'cores': 5})
    quota.update_limits(None, 'p', {'cores': -1})
    quota.update_limits(None, 'p', {'cores': 1}, force=True)
    assert store.projects['p']['cores'] == 1


def test_user_limit_may_not_exceed_the_project_limit(store):
    store.projects['p'] = {'instances': 5}

    with pytest.raises(exception.Invalid):
        quota.update_limits(None, 'p', {'instances': 6}, user_id='u')
    with pytest.raises(exception.Invalid):
        quota.update_limits(None, 'p', {'instances': -1}, user_id='u')
    quota.update_limits(None, 'p', {'instances': 5}, user_id='u')

    assert store.users[('p', 'u')] == {'instances': 5}
