"""Two schedulers racing for the last room: claims never overcommit."""

import threading

from nova import exception
from nova.db.api import allocations
from nova.db.api import compute_nodes
from nova.scheduler import manager
from tests.fixtures import database
from tests.functional.db._race import race
from tests.functional.scheduler.helpers import make_node
from tests.functional.scheduler.helpers import spec

NODES = 10
SLOTS_PER_NODE = 10
REQUESTS = 200


@database.all_backends
def test_two_schedulers_200_requests_100_slots(ctxt, db, flags):
    # A stale cache between requests is the realistic case: it makes the
    # schedulers lose claims and fall through to other hosts.
    flags(host_subset_size=3, host_state_full_reload_interval=3600)
    nodes = [make_node(ctxt, f'h{i}', vcpus=SLOTS_PER_NODE,
                       memory_mb=SLOTS_PER_NODE * 512, disk_gb=1000)
             for i in range(NODES)]
    schedulers = [manager.SchedulerManager(host=f'scheduler-{i}')
                  for i in range(2)]
    for scheduler in schedulers:
        scheduler.host_manager.get_host_states(ctxt)
    lock = threading.Lock()
    other_errors = []

    def request(i):
        request_spec = spec(vcpus=1, memory_mb=512, root_gb=1)
        try:
            uuid = request_spec['instance_uuid']
            return uuid, schedulers[i % 2].select_destinations(
                ctxt, request_spec, [uuid])
        except exception.NoValidHost:
            raise
        except Exception as exc:
            with lock:
                other_errors.append(exc)
            raise

    won, lost = race(request, REQUESTS)

    assert not other_errors, other_errors[:3]
    assert len(won) == NODES * SLOTS_PER_NODE
    assert len(lost) == REQUESTS - NODES * SLOTS_PER_NODE
    assert all(isinstance(exc, exception.NoValidHost) for exc in lost)
    for node in nodes:
        usage = allocations.usages_get_by_node(ctxt, node['id'])
        inventory = compute_nodes.inventories_get(ctxt, node['id'])
        for rc, used in usage.items():
            inv = inventory[rc]
            assert used <= (inv['total'] - inv['reserved']) * inv[
                'allocation_ratio'], (node['host'], rc, used)
        assert usage['VCPU'] == SLOTS_PER_NODE
    # Every winner holds its allocation where its selection says.
    held = {consumer: node['id'] for node in nodes
            for consumer in allocations.allocations_get_by_node(
                ctxt, node['id'])}
    assert held == {uuid: selections[0]['compute_node_id']
                    for uuid, [selections] in won}
