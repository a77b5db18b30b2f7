"""Services and compute nodes."""

import pytest

from nova import exception
from nova.db.api import allocations
from nova.db.api import compute_nodes
from nova.db.api import services
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.db._race import race


def test_service_crud(db, ctxt):
    service = factories.make_service(ctxt, host='h1')
    factories.make_service(ctxt, host='h1', binary='nova-scheduler',
                           topic='scheduler')

    assert services.service_get_by_uuid(ctxt, service['uuid']) == service
    assert services.service_get_by_compute_host(ctxt, 'h1')['id'] == (
        service['id'])
    assert len(services.service_get_all(ctxt, host='h1')) == 2
    updated = services.service_update(
        ctxt, service['id'], {'disabled': True, 'disabled_reason': 'maint'})
    assert updated['disabled'] is True
    assert [s['binary'] for s in services.service_get_all(
        ctxt, disabled=False)] == ['nova-scheduler']
    with pytest.raises(exception.ServiceExists):
        factories.make_service(ctxt, host='h1')
    services.service_destroy(ctxt, service['id'])
    with pytest.raises(exception.ServiceNotFound):
        services.service_get(ctxt, service['id'])
    with pytest.raises(exception.ComputeHostNotFound):
        services.service_get_by_compute_host(ctxt, 'h1')


@database.all_backends
def test_concurrent_heartbeats_are_all_counted(db, ctxt):
    service = factories.make_service(ctxt)

    _, errors = race(lambda i: services.service_heartbeat(
        factories.admin_context(), service['id']), 20)

    assert errors == []
    got = services.service_get(ctxt, service['id'])
    assert got['report_count'] == 20
    assert got['last_seen_up'] is not None


def test_compute_node_crud_and_inventory(db, ctxt):
    node = factories.make_compute_node(ctxt, host='h1',
                                       hypervisor_hostname='n1')

    assert compute_nodes.compute_node_get_by_host_and_nodename(
        ctxt, 'h1', 'n1')['id'] == node['id']
    assert compute_nodes.compute_node_get_by_uuid(ctxt, node['uuid']) == node
    assert compute_nodes.inventories_get(ctxt, node['id'])['VCPU'] == {
        'total': 8, 'reserved': 0, 'min_unit': 1, 'max_unit': 8,
        'step_size': 1, 'allocation_ratio': 1.0}
    with pytest.raises(exception.ComputeNodeExists):
        compute_nodes.compute_node_create(
            ctxt, {'host': 'h1', 'hypervisor_hostname': 'n1',
                   'service_id': node['service_id']})
    updated = compute_nodes.compute_node_update(ctxt, node['id'],
                                                {'vcpus_used': 3})
    assert updated['vcpus_used'] == 3
    with pytest.raises(exception.Invalid):
        compute_nodes.compute_node_update(ctxt, node['id'],
                                          {'generation': 99})


def test_inventory_replacement_bumps_generation(db, ctxt):
    node = factories.make_compute_node(ctxt)

    generation = compute_nodes.inventories_set(
        ctxt, node['id'], {'VCPU': {'total': 16, 'allocation_ratio': 4.0}})

    assert generation == node['generation'] + 1
    assert set(compute_nodes.inventories_get(ctxt, node['id'])) == {'VCPU'}
    with pytest.raises(exception.Invalid):
        compute_nodes.inventories_set(ctxt, node['id'],
                                      {'VCPU': {'reserved': 1}})


def test_deleting_a_service_deletes_its_nodes_and_claims(db, ctxt):
    node = factories.make_compute_node(ctxt)
    allocations.claim_resources(ctxt, node['id'], 'c' * 36, {'VCPU': 1})

    services.service_destroy(ctxt, node['service_id'])

    with pytest.raises(exception.ComputeNodeNotFound):
        compute_nodes.compute_node_get(ctxt, node['id'])
    assert allocations.allocations_get_by_consumer(ctxt, 'c' * 36) == {}
    assert compute_nodes.compute_node_get_all(ctxt) == []
