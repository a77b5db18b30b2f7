"""Instances: create, read, list, conditional update, soft delete."""

import datetime

import pytest
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova import context as nova_context
from nova import exception
from nova.db.api import instance_metadata
from nova.db.api import instances
from nova.db.api import server_groups
from nova.db.api import tags
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.db._race import race


def test_create_and_get_with_children(db, ctxt):
    created = factories.make_instance(
        ctxt, metadata={'role': 'web'}, system_metadata={'image_os': 'x'},
        extra={'flavor': {'name': 'm1.small', 'vcpus': 1}})

    got = instances.instance_get_by_uuid(ctxt, created['uuid'])

    assert got == created
    assert got['metadata'] == {'role': 'web'}
    assert got['system_metadata'] == {'image_os': 'x'}
    assert got['extra']['flavor'] == {'name': 'm1.small', 'vcpus': 1}
    assert got['extra']['numa_topology'] is None
    assert got['deleted'] == 0 and got['locked'] is False
    assert instances.instance_get(ctxt, got['id'])['uuid'] == got['uuid']


def test_duplicate_uuid_and_missing_instance(db, ctxt):
    instance = factories.make_instance(ctxt)

    with pytest.raises(exception.InstanceExists):
        factories.make_instance(ctxt, uuid=instance['uuid'])
    with pytest.raises(exception.InstanceNotFound):
        instances.instance_get_by_uuid(ctxt, uuidutils.generate_uuid())
    with pytest.raises(exception.InstanceNotFound):
        instances.instance_get_by_uuid(ctxt, 'not-a-uuid')


def test_filters(db, ctxt):
    a = factories.make_instance(ctxt, host='h1', node='n1',
                                display_name='alpha')
    b = factories.make_instance(ctxt, host='h1', node='n2',
                                project_id='project-b', task_state=None)
    c = factories.make_instance(ctxt, host='h2', display_name='alpha')

    def uuids(**filters):
        return {i['uuid'] for i in
                instances.instance_get_all_by_filters(ctxt, filters)}

    assert uuids(host='h1') == {a['uuid'], b['uuid']}
    assert uuids(host='h1', node='n2') == {b['uuid']}
    assert uuids(display_name='alpha') == {a['uuid'], c['uuid']}
    assert uuids(project_id='project-b') == {b['uuid']}
    assert uuids(task_state=None) == {b['uuid']}
    assert uuids(uuid=[a['uuid'], c['uuid']]) == {a['uuid'], c['uuid']}
    assert uuids(task_state=['scheduling', None]) == {
        a['uuid'], b['uuid'], c['uuid']}
    assert [i['uuid'] for i in instances.instance_get_all_by_host(
        ctxt, 'h1', 'n1')] == [a['uuid']]
    with pytest.raises(exception.Invalid):
        instances.instance_get_all_by_filters(ctxt, {'name': 'alpha'})


@database.all_backends
def test_sort_and_page_through_everything(db, ctxt):
    made = [factories.make_instance(ctxt, display_name=name)
            for name in ('b', 'a', 'c', 'a', 'b')]

    def page(marker):
        return instances.instance_get_all_by_filters(
            ctxt, sort_keys=['display_name'], sort_dirs=['asc'], limit=2,
            marker=marker)

    seen, marker = [], None
    while batch := page(marker):
        seen.extend(batch)
        marker = batch[-1]['uuid']

    assert [i['display_name'] for i in seen] == ['a', 'a', 'b', 'b', 'c']
    assert sorted(i['uuid'] for i in seen) == sorted(i['uuid'] for i in made)
    with pytest.raises(exception.MarkerNotFound):
        page(uuidutils.generate_uuid())
    with pytest.raises(exception.Invalid):
        instances.instance_get_all_by_filters(ctxt, sort_keys=['nope'])


def test_default_order_is_newest_first(db, ctxt):
    old = factories.make_instance(
        ctxt, created_at=timeutils.utcnow() - datetime.timedelta(hours=1))
    new = factories.make_instance(ctxt)

    listed = instances.instance_get_all_by_filters(ctxt)

    assert [i['uuid'] for i in listed] == [new['uuid'], old['uuid']]


def test_update_values_and_children(db, ctxt):
    instance = factories.make_instance(ctxt, metadata={'a': '1', 'b': '2'})

    updated = instances.instance_update(
        ctxt, instance['uuid'],
        {'vm_state': 'active', 'task_state': None, 'metadata': {'a': '9'},
         'extra': {'numa_topology': {'cells': []}}})

    assert updated['vm_state'] == 'active'
    assert updated['task_state'] is None
    assert updated['metadata'] == {'a': '9'}
    assert updated['extra']['numa_topology'] == {'cells': []}
    assert updated['updated_at'] is not None
    with pytest.raises(exception.Invalid):
        instances.instance_update(ctxt, instance['uuid'],
                                  {'uuid': uuidutils.generate_uuid()})


@database.all_backends
def test_expected_states_guard_updates(db, ctxt):
    instance = factories.make_instance(ctxt, vm_state='active',
                                       task_state=None)
    uuid = instance['uuid']

    instances.instance_update(ctxt, uuid, {'task_state': 'rebooting'},
                              expected_task_state=[None])
    with pytest.raises(exception.UnexpectedTaskStateError) as info:
        instances.instance_update(ctxt, uuid, {'task_state': 'pausing'},
                                  expected_task_state=None)
    assert info.value.kwargs['actual'] == 'rebooting'
    with pytest.raises(exception.UnexpectedVMStateError):
        instances.instance_update(ctxt, uuid, {'vm_state': 'paused'},
                                  expected_task_state='rebooting',
                                  expected_vm_state='stopped')

    assert instances.instance_get_by_uuid(ctxt, uuid)['task_state'] == (
        'rebooting')


@database.all_backends
def test_only_one_racer_wins_a_state_transition(db, ctxt):
    uuid = factories.make_instance(ctxt, vm_state='active',
                                   task_state=None)['uuid']

    def start_task(i):
        return instances.instance_update(
            factories.admin_context(), uuid,
            {'task_state': f'task-{i}'}, expected_task_state=None)

    won, lost = race(start_task, 20)

    assert len(won) == 1, lost
    assert all(isinstance(e, exception.UnexpectedTaskStateError)
               for e in lost), lost
    final = instances.instance_get_by_uuid(ctxt, uuid)
    assert final['task_state'] == won[0]['task_state']


def test_soft_delete_and_read_deleted(db, ctxt):
    instance = factories.make_instance(ctxt, metadata={'k': 'v'},
                                       system_metadata={'s': 't'})
    uuid = instance['uuid']
    group = server_groups.instance_group_create(
        ctxt, {'name': 'g', 'policy': 'affinity'}, members=[uuid])
    tags.instance_tag_add(ctxt, uuid, 'web')

    deleted = instances.instance_destroy(ctxt, uuid)

    assert deleted['deleted'] == deleted['id']
    assert deleted['deleted_at'] is not None
    with pytest.raises(exception.InstanceNotFound):
        instances.instance_get_by_uuid(ctxt, uuid)
    with pytest.raises(exception.InstanceNotFound):
        instances.instance_destroy(ctxt, uuid)
    with pytest.raises(exception.InstanceNotFound):
        instances.instance_update(ctxt, uuid, {'host': 'x'})
    yes = nova_context.get_admin_context(read_deleted='yes')
    kept = instances.instance_get_by_uuid(yes, uuid)
    assert kept['system_metadata'] == {'s': 't'}
    assert [i['uuid'] for i in instances.instance_get_all_by_filters(
        ctxt, {'deleted': True})] == [uuid]
    assert instances.instance_get_all_by_filters(ctxt) == []
    assert server_groups.instance_group_get(
        ctxt, group['uuid'])['members'] == []
    assert tags.instance_tags_get_by_instance_uuids(ctxt, [uuid]) == {
        uuid: []}


def test_delete_guarded_by_task_state(db, ctxt):
    uuid = factories.make_instance(ctxt, task_state='spawning')['uuid']

    with pytest.raises(exception.UnexpectedTaskStateError):
        instances.instance_destroy(ctxt, uuid, expected_task_state=None)
    instances.instance_destroy(ctxt, uuid, expected_task_state='spawning')


def test_changes_since_sees_updates_and_deletions(db, ctxt):
    before = timeutils.utcnow() - datetime.timedelta(seconds=1)
    factories.make_instance(
        ctxt, updated_at=before - datetime.timedelta(days=1))
    busy = factories.make_instance(ctxt)
    instances.instance_destroy(ctxt, busy['uuid'])

    changed = instances.instance_get_all_by_filters(
        nova_context.get_admin_context(read_deleted='yes'),
        {'changes-since': before})

    assert [i['uuid'] for i in changed] == [busy['uuid']]


def test_metadata_functions(db, ctxt):
    uuid = factories.make_instance(ctxt, metadata={'a': '1'})['uuid']

    assert instance_metadata.instance_metadata_update(
        ctxt, uuid, {'b': '2'}) == {'a': '1', 'b': '2'}
    assert instance_metadata.instance_metadata_update(
        ctxt, uuid, {'c': '3'}, delete=True) == {'c': '3'}
    instance_metadata.instance_metadata_delete(ctxt, uuid, 'c')
    assert instance_metadata.instance_metadata_get(ctxt, uuid) == {}
    with pytest.raises(exception.NotFound):
        instance_metadata.instance_metadata_delete(ctxt, uuid, 'c')
    assert instance_metadata.instance_system_metadata_update(
        ctxt, uuid, {'x': 'y'}) == {'x': 'y'}
    instance_metadata.instance_extra_update(
        ctxt, uuid, {'keypairs': [{'name': 'k'}]})
    assert instances.instance_get_by_uuid(
        ctxt, uuid)['extra']['keypairs'] == [{'name': 'k'}]
    with pytest.raises(exception.Invalid):
        instance_metadata.instance_extra_update(ctxt, uuid, {'bogus': 1})


def test_usage_by_project(db, ctxt):
    factories.make_instance(ctxt, vcpus=2, memory_mb=1024)
    factories.make_instance(ctxt, vcpus=4, memory_mb=2048, user_id='u2')
    gone = factories.make_instance(ctxt, vcpus=8, memory_mb=8192)
    instances.instance_destroy(ctxt, gone['uuid'])

    assert instances.instance_usage_by_project(
        ctxt, factories.PROJECT_ID) == {
        'instances': 2, 'cores': 6, 'ram': 3072}
    assert instances.instance_usage_by_project(
        ctxt, factories.PROJECT_ID, 'u2') == {
        'instances': 1, 'cores': 4, 'ram': 2048}
    assert instances.instance_usage_by_project(ctxt, 'nobody') == {
        'instances': 0, 'cores': 0, 'ram': 0}
