"""Faults, actions with their events, and tags of instances."""

import pytest

from nova import exception
from nova.db.api import instance_actions
from nova.db.api import instance_faults
from nova.db.api import tags
from tests.fixtures import factories


def test_faults_newest_first_and_latest_only(db, ctxt):
    a = factories.make_instance(ctxt)['uuid']
    b = factories.make_instance(ctxt)['uuid']
    for code in (500, 404):
        instance_faults.instance_fault_create(
            ctxt, {'instance_uuid': a, 'code': code, 'message': f'm{code}',
                   'host': 'h1'})

    every = instance_faults.instance_fault_get_by_instance_uuids(
        ctxt, [a, b])
    latest = instance_faults.instance_fault_get_by_instance_uuids(
        ctxt, [a, b], latest=True)

    assert [f['code'] for f in every[a]] == [404, 500]
    assert every[b] == []
    assert [f['code'] for f in latest[a]] == [404]
    assert instance_faults.instance_fault_get_by_instance_uuids(
        ctxt, []) == {}


def test_action_lifecycle_with_events(db, ctxt):
    uuid = factories.make_instance(ctxt)['uuid']
    action = instance_actions.action_start(
        ctxt, {'action': 'reboot', 'instance_uuid': uuid,
               'request_id': 'req-1', 'user_id': 'u', 'project_id': 'p'})

    instance_actions.action_event_start(ctxt, uuid, 'req-1',
                                        'compute_reboot', host='h1')
    instance_actions.action_event_finish(ctxt, uuid, 'req-1',
                                         'compute_reboot', 'Error',
                                         traceback='boom')
    finished = instance_actions.action_finish(ctxt, uuid, 'req-1')

    assert finished['finish_time'] is not None
    assert finished['message'] == 'Error'
    events = instance_actions.action_events_get(ctxt, action['id'])
    assert [(e['event'], e['result'], e['traceback']) for e in events] == [
        ('compute_reboot', 'Error', 'boom')]
    with pytest.raises(exception.NotFound):
        instance_actions.action_event_finish(ctxt, uuid, 'req-1',
                                             'compute_reboot', 'Success')
    with pytest.raises(exception.InstanceActionNotFound):
        instance_actions.action_get_by_request_id(ctxt, uuid, 'req-x')


def test_actions_are_paged_newest_first(db, ctxt):
    uuid = factories.make_instance(ctxt)['uuid']
    for n in range(5):
        instance_actions.action_start(
            ctxt, {'action': 'stop', 'instance_uuid': uuid,
                   'request_id': f'req-{n}'})

    first = instance_actions.actions_get(ctxt, uuid, limit=3)
    rest = instance_actions.actions_get(ctxt, uuid,
                                        marker=first[-1]['request_id'])

    assert [a['request_id'] for a in first + rest] == [
        'req-4', 'req-3', 'req-2', 'req-1', 'req-0']
    with pytest.raises(exception.MarkerNotFound):
        instance_actions.actions_get(ctxt, uuid, marker='req-x')


def test_tags(db, ctxt):
    uuid = factories.make_instance(ctxt)['uuid']

    assert tags.instance_tag_add(ctxt, uuid, 'b') == ['b']
    assert tags.instance_tag_add(ctxt, uuid, 'b') == ['b']
    assert tags.instance_tags_set(ctxt, uuid, ['z', 'a', 'a']) == ['a', 'z']
    tags.instance_tag_delete(ctxt, uuid, 'z')
    assert tags.instance_tags_get(ctxt, uuid) == ['a']
    with pytest.raises(exception.InstanceTagNotFound):
        tags.instance_tag_delete(ctxt, uuid, 'z')
    tags.instance_tags_delete_all(ctxt, uuid)
    assert tags.instance_tags_get(ctxt, uuid) == []
    with pytest.raises(exception.InstanceNotFound):
        tags.instance_tag_add(ctxt, factories.instance_values()['uuid'], 'x')
