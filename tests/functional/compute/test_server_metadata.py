"""API-side checks of server metadata and tags: lock, state, quota."""

import pytest

from nova import exception
from nova.compute import server_metadata as api
from nova.db.api import instances
from tests.fixtures import factories


@pytest.fixture
def backend():
    return 'sqlite'


@pytest.fixture
def ctxt():
    return factories.admin_context()


def _active(ctxt, **values):
    instance = factories.make_instance(ctxt, vm_state='active',
                                       task_state=None, **values)
    return instances.instance_get_by_uuid(ctxt, instance['uuid'])


def test_locked_server_refuses_members_not_admins(db, ctxt):
    instance = _active(ctxt, locked=True, metadata={'k': 'v'})
    member = factories.user_context(project_id=instance['project_id'])

    for call in (lambda: api.update_metadata(member, instance, {'a': '1'}),
                 lambda: api.delete_metadata_item(member, instance, 'k'),
                 lambda: api.add_tag(member, instance, 't'),
                 lambda: api.set_tags(member, instance, ['t']),
                 lambda: api.delete_all_tags(member, instance)):
        with pytest.raises(exception.InstanceLocked):
            call()

    assert api.update_metadata(ctxt, instance, {'a': '1'}) == {
        'k': 'v', 'a': '1'}
    assert api.add_tag(ctxt, instance, 't') is True
    assert api.add_tag(ctxt, instance, 't') is False


@pytest.mark.parametrize('vm_state,task_state', [
    ('building', 'scheduling'), ('error', None), ('active', 'deleting'),
    ('active', 'rebooting')])
def test_metadata_needs_a_settled_server(db, ctxt, vm_state, task_state):
    instance = _active(ctxt)
    instance.update(vm_state=vm_state, task_state=task_state)
    with pytest.raises(exception.InstanceInvalidState):
        api.update_metadata(ctxt, instance, {'a': '1'}, replace=True)


def test_tags_may_change_during_a_task_but_not_while_deleting(db, ctxt):
    instance = _active(ctxt)
    instance['task_state'] = 'rebooting'
    assert api.set_tags(ctxt, instance, ['b', 'a']) == ['a', 'b']
    instance['task_state'] = 'deleting'
    with pytest.raises(exception.InstanceInvalidState):
        api.delete_tag(ctxt, instance, 'a')


def test_metadata_quota_and_tag_limit(db, ctxt):
    instance = _active(ctxt)
    limit = 128
    too_many = {f'k{i}': 'v' for i in range(limit + 1)}
    with pytest.raises(exception.OverQuota):
        api.update_metadata(ctxt, instance, too_many)
    api.set_tags(ctxt, instance, [f't{i}' for i in range(api.MAX_TAGS)])
    with pytest.raises(exception.Invalid):
        api.add_tag(ctxt, instance, 'one-more')
