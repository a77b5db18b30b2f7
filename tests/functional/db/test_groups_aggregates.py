"""Host aggregates and server groups."""

import pytest

from nova import exception
from nova.db.api import aggregates
from nova.db.api import server_groups
from tests.fixtures import factories


def test_aggregate_hosts_and_metadata(db, ctxt):
    agg = factories.make_aggregate(ctxt, hosts=('h2', 'h1'),
                                   metadata={'availability_zone': 'az1'})
    aid = agg['id']

    assert agg['hosts'] == ['h1', 'h2']
    assert aggregates.aggregate_get_by_uuid(ctxt, agg['uuid']) == agg
    with pytest.raises(exception.AggregateHostExists):
        aggregates.aggregate_host_add(ctxt, aid, 'h1')
    assert aggregates.aggregate_host_delete(ctxt, aid, 'h2')['hosts'] == [
        'h1']
    with pytest.raises(exception.AggregateHostNotFound):
        aggregates.aggregate_host_delete(ctxt, aid, 'h2')
    assert aggregates.aggregate_metadata_add(
        ctxt, aid, {'ssd': 'true', 'availability_zone': None}) == {
        'ssd': 'true'}
    assert aggregates.aggregate_metadata_add(
        ctxt, aid, {'gpu': 'yes'}, set_delete=True) == {'gpu': 'yes'}
    aggregates.aggregate_metadata_delete(ctxt, aid, 'gpu')
    with pytest.raises(exception.AggregateMetadataNotFound):
        aggregates.aggregate_metadata_delete(ctxt, aid, 'gpu')


def test_aggregates_by_host(db, ctxt):
    factories.make_aggregate(ctxt, name='a', hosts=('h1',),
                             metadata={'availability_zone': 'az1'})
    factories.make_aggregate(ctxt, name='b', hosts=('h1', 'h2'),
                             metadata={'availability_zone': 'az2',
                                       'ssd': 'true'})

    assert [a['name'] for a in aggregates.aggregate_get_by_host(
        ctxt, 'h1')] == ['a', 'b']
    assert [a['name'] for a in aggregates.aggregate_get_by_host(
        ctxt, 'h1', key='ssd')] == ['b']
    assert aggregates.aggregate_metadata_get_by_host(ctxt, 'h1') == {
        'availability_zone': {'az1', 'az2'}, 'ssd': {'true'}}
    assert aggregates.aggregate_metadata_get_by_host(
        ctxt, 'h2', key='availability_zone') == {
        'availability_zone': {'az2'}}


def test_aggregate_rename_and_delete(db, ctxt):
    a = factories.make_aggregate(ctxt, name='a', hosts=('h1',))
    factories.make_aggregate(ctxt, name='b')

    with pytest.raises(exception.AggregateNameExists):
        factories.make_aggregate(ctxt, name='a')
    with pytest.raises(exception.AggregateNameExists):
        aggregates.aggregate_update(ctxt, a['id'], {'name': 'b'})
    renamed = aggregates.aggregate_update(
        ctxt, a['id'], {'name': 'c', 'metadata': {'k': 'v'}})
    assert (renamed['name'], renamed['metadata']) == ('c', {'k': 'v'})
    aggregates.aggregate_delete(ctxt, a['id'])
    with pytest.raises(exception.AggregateNotFound):
        aggregates.aggregate_get(ctxt, a['id'])
    assert aggregates.aggregate_get_by_host(ctxt, 'h1') == []


def test_server_groups(db, ctxt):
    one, two = (factories.make_instance(ctxt)['uuid'] for _ in range(2))
    group = server_groups.instance_group_create(
        ctxt, {'name': 'g', 'project_id': 'p', 'user_id': 'u',
               'policy': 'anti-affinity',
               'rules': {'max_server_per_host': 1}},
        members=[one])

    assert group['rules'] == {'max_server_per_host': 1}
    assert server_groups.instance_group_members_add(
        ctxt, group['uuid'], [one, two]) == [one, two]
    assert server_groups.instance_group_get_by_instance(
        ctxt, two)['uuid'] == group['uuid']
    server_groups.instance_group_member_delete(ctxt, group['uuid'], one)
    assert server_groups.instance_group_get(
        ctxt, group['uuid'])['members'] == [two]
    assert server_groups.instance_group_update(
        ctxt, group['uuid'], {'rules': {}})['rules'] == {}
    assert [g['uuid'] for g in server_groups.instance_group_get_all(
        ctxt, project_id='p')] == [group['uuid']]
    assert server_groups.instance_group_get_all(ctxt, project_id='q') == []
    server_groups.instance_group_delete(ctxt, group['uuid'])
    with pytest.raises(exception.InstanceGroupNotFound):
        server_groups.instance_group_get_by_instance(ctxt, two)
