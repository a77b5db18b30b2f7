"""Host states: bulk loading, freshness, and what they contain."""

import contextlib
import time

import sqlalchemy as sa
from oslo_utils import uuidutils

from nova.db import engine
from nova.db.api import allocations
from nova.db.api import compute_nodes
from nova.db.api import services
from nova.scheduler import host_manager
from tests.fixtures import factories
from tests.functional.scheduler.helpers import make_node


def _wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, 'condition never met'
        time.sleep(0.05)


@contextlib.contextmanager
def counting_statements():
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    eng = engine.get_engine()
    sa.event.listen(eng, 'before_cursor_execute', record)
    try:
        yield statements
    finally:
        sa.event.remove(eng, 'before_cursor_execute', record)


def _selects(statements):
    return [s for s in statements if s.lstrip().upper().startswith('SELECT')]


def test_loading_takes_the_same_queries_for_3_or_30_nodes(db, ctxt):
    counts = []
    for total in (3, 30):
        while len(compute_nodes.compute_node_get_all(ctxt)) < total:
            node = make_node(ctxt, f'h{uuidutils.generate_uuid()[:8]}')
            factories.make_aggregate(ctxt, hosts=(node['host'],),
                                     metadata={'k': 'v'})
        with counting_statements() as statements:
            states = host_manager.load_host_states(ctxt)
        assert len(states) == total
        counts.append(len(_selects(statements)))

    assert counts[0] == counts[1] == 7, counts


def test_host_state_contents(db, ctxt):
    node = make_node(ctxt, 'h1', vcpus=4, memory_mb=4096, host_ip='10.0.0.5',
                     cpu_info='{"arch": "x86_64"}')
    compute_nodes.inventories_set(ctxt, node['id'], {
        'VCPU': {'total': 4, 'allocation_ratio': 4.0},
        'MEMORY_MB': {'total': 4096, 'reserved': 512}})
    allocations.claim_resources(ctxt, node['id'], 'c1',
                                {'VCPU': 2, 'MEMORY_MB': 1024})
    factories.make_aggregate(ctxt, hosts=('h1',), metadata={
        'availability_zone': 'az1', 'ssd': 'true'})
    factories.make_instance(ctxt, host='h1', node='h1-node',
                            vm_state='building')
    factories.make_instance(ctxt, host='h1', node='h1-node',
                            vm_state='active', task_state=None)

    [state] = host_manager.load_host_states(ctxt).values()

    assert (state.host, state.nodename) == ('h1', 'h1-node')
    assert state.free_vcpus == 14 and state.free_ram_mb == 2560
    assert state.free_disk_gb == 0  # no DISK_GB inventory any more
    assert state.availability_zone == 'az1'
    assert state.aggregate_metadata['ssd'] == {'true'}
    assert (state.num_instances, state.num_io_ops) == (2, 1)
    assert state.cpu_info == {'arch': 'x86_64'}
    assert state.service_up and not state.service_disabled


def test_cache_follows_claims_and_new_nodes(db, ctxt, flags):
    flags(host_state_full_reload_interval=3600)
    node = make_node(ctxt, 'h1', vcpus=4)
    manager = host_manager.HostManager()
    [before] = manager.get_host_states(ctxt)

    allocations.claim_resources(ctxt, node['id'], 'someone-else',
                                {'VCPU': 3})
    with counting_statements() as statements:
        [after] = manager.get_host_states(ctxt)
    make_node(ctxt, 'h2')
    manager.get_host_states(ctxt)  # sees h2's id: reloads in background

    assert before is after and after.free_vcpus == 1
    # recently updated nodes, then inventories and usages of the one
    # node whose generation moved
    assert len(_selects(statements)) == 3
    _wait_for(lambda: sorted(
        s.host for s in manager.get_host_states(ctxt)) == ['h1', 'h2'])


def test_request_hosts_resolved_in_one_query(db, ctxt):
    from tests.unit.scheduler.factories import make_request
    on_h1 = factories.make_instance(ctxt, host='h1', node='n1')
    on_h2 = factories.make_instance(ctxt, host='h2', node='n2')
    request = make_request(
        scheduler_hints={'same_host': on_h1['uuid'],
                         'different_host': [on_h2['uuid'], 'gone']},
        instance_group={'policy': 'anti-affinity',
                        'members': [on_h1['uuid'], on_h2['uuid']]})

    with counting_statements() as statements:
        host_manager.resolve_request_hosts(ctxt, request)

    assert len(_selects(statements)) == 1
    assert request.same_host_hosts == {'h1'}
    assert request.different_host_hosts == {'h2'}
    assert request.group_hosts == {'h1': 1, 'h2': 1}


def test_background_reload_sees_disabled_services(db, ctxt, flags):
    flags(host_state_full_reload_interval=0.05)
    node = make_node(ctxt, 'h1')
    manager = host_manager.HostManager()
    manager.get_host_states(ctxt)
    services.service_update(ctxt, node['service_id'], {'disabled': True})

    _wait_for(lambda: manager.get_host_states(ctxt)[0].service_disabled)
