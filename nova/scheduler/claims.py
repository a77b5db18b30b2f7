"""Atomic resource claims on the hosts the scheduler picked.

The claim itself is ``nova.db.api.allocations.claim_resources``: one
transaction that checks capacity and writes the allocation, guarded by
the node's generation, so two schedulers can never overcommit a node.
This module walks the weighed hosts until a claim wins, and releases
what a failed multi-create already took.

The conductor reclaims on reschedule through
``SchedulerAPI.claim_alternate`` (RPC), which runs ``claim_alternate``
here in nova-scheduler; code that already runs next to the database in
the same process (nova-all, tests) may call it directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from oslo_log import log as logging

from nova import exception
from nova.db.api import allocations
from nova.scheduler.explain import Explanation
from nova.scheduler.host_state import HostState

LOG = logging.getLogger(__name__)

# claim_resources already retries lost generation races (with back-off);
# when those run out the node is merely busy, not full: try it again a
# few times before moving on, or a hot node would be given up with room
# left.
CONFLICT_RETRIES = 3


def claim_on_node(context: Any, node_id: int, consumer_id: str,
                  resources: Mapping[str, int]) -> str | None:
    """Claim on one node; None on success, else why it failed."""
    for _ in range(CONFLICT_RETRIES + 1):
        try:
            allocations.claim_resources(context, node_id, consumer_id,
                                        resources)
            return None
        except exception.ResourceProviderGenerationConflict:
            continue
        except exception.InsufficientResources as exc:
            return exc.kwargs.get('reason') or 'insufficient resources'
        except exception.ComputeNodeNotFound:
            return 'node deleted'
    return 'node kept changing'


def claim_first_fitting(context: Any, candidates: Iterable[HostState],
                        consumer_id: str, resources: Mapping[str, int],
                        explanation: Explanation,
                        on_lost: Any = None) -> HostState | None:
    """Claim on the first candidate that takes it; None if none did.

    ``on_lost(state)`` is called for each node that refused the claim,
    e.g. to re-read its usage from the database.
    """
    for state in candidates:
        why = claim_on_node(context, state.compute_node_id, consumer_id,
                            resources)
        if why is None:
            return state
        LOG.debug('Claim for %s on %s/%s lost: %s', consumer_id,
                  state.host, state.nodename, why)
        explanation.lost_claim(state.host, why)
        if on_lost is not None:
            on_lost(state)
    return None


# (vm_state, task_state) of an instance that waits for the scheduler:
# a build, a resize or cold migration, an unshelve, an evacuation.
_WAITING = {('building', 'scheduling'),
            ('active', 'resize_prep'), ('stopped', 'resize_prep'),
            ('shelved_offloaded', 'unshelving'),
            ('active', 'rebuilding'), ('stopped', 'rebuilding'),
            ('error', 'rebuilding'),
            ('active', 'migrating'), ('paused', 'migrating')}


def release_abandoned(context: Any, instance_uuids: Iterable[str]) -> None:
    """Give back claims nobody waits for any more.

    When a caller's RPC call times out, conductor puts the instance in
    ERROR and releases its allocations; if this scheduler claims after
    that, the claim would hold capacity for an instance that will never
    be built. Checked after claiming: either conductor's release comes
    later and removes the claim, or the check here sees the instance no
    longer waiting for a host.
    """
    from nova.db.api import instances as instances_db
    uuids = list(instance_uuids)
    # One query for the whole request; instances without a record (e.g.
    # a benchmark's bare request spec) are left alone.
    for instance in instances_db.instance_get_all_by_filters(
            context.elevated(read_deleted='yes'), {'uuid': uuids}):
        waiting = not instance['deleted'] and (
            (instance['vm_state'], instance['task_state']) in _WAITING)
        if not waiting:
            LOG.info('Instance %s no longer waits for a host (%s/%s); '
                     'releasing its claim', instance['uuid'],
                     instance['vm_state'], instance['task_state'])
            release(context, [instance['uuid']])


def release(context: Any, consumer_ids: Iterable[str]) -> None:
    """Drop the allocations of ``consumer_ids`` (e.g. a failed
    multi-create); errors are logged, the others still released."""
    for consumer_id in consumer_ids:
        try:
            allocations.release_resources(context, consumer_id)
        except Exception:  # noqa: BLE001 - release the rest regardless
            LOG.exception('Could not release the allocations of %s',
                          consumer_id)


def release_on_nodes(context: Any, consumer_id: str,
                     node_ids: Iterable[int]) -> None:
    """Drop the consumer's allocations on ``node_ids`` only."""
    for node_id in node_ids:
        allocations.release_resources(context, consumer_id, node_id)


def claim_alternate(context: Any, request_spec: Mapping[str, Any],
                    instance_uuid: str, selection: Mapping[str, Any]
                    ) -> bool:
    """Claim ``selection`` (an alternate from select_destinations) for
    ``instance_uuid``; True when the resources are now held.

    False when the node no longer has room or is gone: the caller tries
    the next alternate. The instance's allocations elsewhere (from the
    failed first host) are the caller's to release first; a claim on the
    same node replaces them.
    """
    resources = {rc: int(amount)
                 for rc, amount in selection['allocations'].items()}
    why = claim_on_node(context, selection['compute_node_id'],
                        instance_uuid, resources)
    if why is not None:
        LOG.info('Alternate %s/%s for %s refused: %s',
                 selection.get('host'), selection.get('nodename'),
                 instance_uuid, why)
    return why is None
