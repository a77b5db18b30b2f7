"""The database side of resize and cold migration, one transaction per
step, so allocations, quota, the migration and the instance never
disagree (nova/compute/move_state.py states the quota invariant).

Allocations during a move: the migration (consumer = migration uuid)
holds the source node's resources; the instance holds the destination's.
"""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging

from nova.compute import move_state
from nova.compute import task_states as ts
from nova.compute import vm_states as vm
from nova.conductor.tasks import records
from nova.db import engine
from nova.db.api import allocations as allocations_db
from nova.db.api import instances as instances_db
from nova.db.api import migrations as migrations_db
from nova.db.api import quotas as quotas_db

LOG = logging.getLogger(__name__)


def _release_extra(context: Any, instance: dict[str, Any]) -> None:
    extra = {k: v for k, v in move_state.quota_extra(instance).items() if v}
    if extra:
        quotas_db.release(context, instance['project_id'],
                          instance['user_id'], extra)


@engine.writer
def migration_update(context: Any, migration_id: int,
                     values: dict[str, Any]) -> dict[str, Any]:
    return migrations_db.migration_update(context, migration_id, values)


@engine.writer
def finish_started(context: Any, instance_uuid: str,
                   migration_id: int) -> dict[str, Any]:
    """The destination takes the instance: new sizes, new host."""
    migration = migrations_db.migration_get(context, migration_id)
    instance = instances_db.instance_get_by_uuid(context, instance_uuid)
    old, new = (move_state.old_flavor(instance),
                move_state.new_flavor(instance))
    values = move_state.flavor_columns(new)
    values.update(host=migration['dest_compute'],
                  node=migration['dest_node'],
                  task_state=ts.RESIZE_FINISH,
                  system_metadata=move_state.with_quota_extra(
                      instance,
                      move_state.extra_after_columns_become(new, old)))
    return instances_db.instance_update(
        context, instance_uuid, values,
        expected_task_state=ts.RESIZE_MIGRATED)


@engine.writer
def finish_done(context: Any, instance_uuid: str, migration_id: int,
                power_state: int) -> dict[str, Any]:
    migrations_db.migration_update(context, migration_id,
                                   {'status': 'finished'})
    return instances_db.instance_update(
        context, instance_uuid,
        {'vm_state': vm.RESIZED, 'task_state': None,
         'power_state': power_state},
        expected_task_state=ts.RESIZE_FINISH)


@engine.writer
def confirmed(context: Any, instance_uuid: str, migration_id: int,
              power_state: int) -> dict[str, Any]:
    """The source copy is gone: free the source, drop the old flavor."""
    migration = migrations_db.migration_get(context, migration_id)
    instance = instances_db.instance_get_by_uuid(context, instance_uuid)
    allocations_db.release_resources(context, migration['uuid'])
    _release_extra(context, instance)
    migrations_db.migration_update(context, migration_id,
                                   {'status': 'confirmed'})
    state = vm.STOPPED if move_state.old_vm_state(instance) == vm.STOPPED \
        else vm.ACTIVE
    return instances_db.instance_update(
        context, instance_uuid,
        {'vm_state': state, 'task_state': None, 'power_state': power_state,
         'system_metadata': move_state.cleared(instance)})


@engine.writer
def reverted(context: Any, instance_uuid: str,
             migration_id: int) -> dict[str, Any]:
    """Back to the source: old sizes, old host, the source's resources
    return to the instance and the destination's are freed."""
    migration = migrations_db.migration_get(context, migration_id)
    instance = instances_db.instance_get_by_uuid(context, instance_uuid)
    old = move_state.old_flavor(instance)
    _give_source_back(context, instance_uuid, migration)
    values = move_state.flavor_columns(old)
    # Held now: the columns (new) plus the extra, i.e. the larger flavor;
    # afterwards just the old flavor.
    held = {k: v + move_state.quota_extra(instance).get(k, 0)
            for k, v in move_state.quota_deltas(
                old, _columns_flavor(instance)).items()}
    surplus = {k: v for k, v in held.items() if v > 0}
    if surplus:
        quotas_db.release(context, instance['project_id'],
                          instance['user_id'], surplus)
    values.update(host=migration['source_compute'],
                  node=migration['source_node'],
                  system_metadata=move_state.with_quota_extra(instance, {}))
    return instances_db.instance_update(context, instance_uuid, values)


def _columns_flavor(instance: dict[str, Any]) -> dict[str, Any]:
    return {'vcpus': instance['vcpus'], 'memory_mb': instance['memory_mb']}


def _give_source_back(context: Any, instance_uuid: str,
                      migration: dict[str, Any]) -> None:
    if not allocations_db.allocations_get_by_consumer(context,
                                                      migration['uuid']):
        return  # the move failed before the source passed to it
    allocations_db.release_resources(context, instance_uuid)
    allocations_db.allocations_move(context, migration['uuid'],
                                    instance_uuid)


@engine.writer
def revert_done(context: Any, instance_uuid: str, migration_id: int,
                power_state: int) -> dict[str, Any]:
    migrations_db.migration_update(context, migration_id,
                                   {'status': 'reverted'})
    instance = instances_db.instance_get_by_uuid(context, instance_uuid)
    state = vm.STOPPED if move_state.old_vm_state(instance) == vm.STOPPED \
        else vm.ACTIVE
    return instances_db.instance_update(
        context, instance_uuid,
        {'vm_state': state, 'task_state': None, 'power_state': power_state,
         'system_metadata': move_state.cleared(instance)})


@engine.writer
def aborted(context: Any, instance_uuid: str, migration_id: int,
            values: dict[str, Any], status: str = 'error'
            ) -> dict[str, Any] | None:
    """A move failed (or was cancelled: ``status``): resources, quota
    and records as before it began.

    Before the destination took the instance, the source allocation goes
    back to the instance; after, the instance keeps the destination's and
    the source's is freed (its copy there is stopped and abandoned).
    """
    migration = migrations_db.migration_get(context, migration_id)
    migrations_db.migration_update(context, migration_id,
                                   {'status': status})
    try:
        instance = instances_db.instance_get_by_uuid(context, instance_uuid)
    except Exception:  # noqa: BLE001 - deleted meanwhile: cleanup did it
        allocations_db.release_resources(context, migration['uuid'])
        return None
    if _destination_took_it(instance, migration):
        allocations_db.release_resources(context, migration['uuid'])
    else:
        _give_source_back(context, instance_uuid, migration)
    _release_extra(context, instance)
    values = records.datetimes_from_rpc(values)
    values['system_metadata'] = move_state.cleared(instance)
    values.setdefault('task_state', None)
    return instances_db.instance_update(context, instance_uuid, values)


def _destination_took_it(instance: dict[str, Any],
                         migration: dict[str, Any]) -> bool:
    """Whether the instance is the destination's copy now: on another
    host, or (a resize on the same node) with the new flavor's columns."""
    if (instance['host'], instance['node']) != (
            migration['source_compute'], migration['source_node']):
        return True
    old, new = (move_state.old_flavor(instance),
                move_state.new_flavor(instance))
    if not old or not new or old['id'] == new['id']:
        return False
    return instance['instance_type_id'] == new['id']


@engine.writer
def live_interrupted(context: Any, instance_uuid: str,
                     host: str) -> list[dict[str, Any]]:
    """The compute of ``host`` restarted during live migrations of the
    instance out of it: the guest is still there, the moves are over."""
    moving = migrations_db.migration_get_in_progress_by_instance(
        context, instance_uuid, migration_type='live-migration')
    # 'accepted' ones are still with conductor, which casts them later.
    cut_short = [m for m in moving if m['source_compute'] == host and
                 m['status'] in ('queued', 'preparing', 'running')]
    for migration in cut_short:
        aborted(context, instance_uuid, migration['id'], {})
    return cut_short


@engine.writer
def moved(context: Any, instance_uuid: str, migration_id: int,
          values: dict[str, Any]) -> dict[str, Any]:
    """A live migration or evacuation is over: the instance is on the
    destination (``values`` say so), the source share is freed."""
    values = records.datetimes_from_rpc(values)
    migration = migrations_db.migration_get(context, migration_id)
    allocations_db.release_resources(context, migration['uuid'])
    status = 'completed' if migration['migration_type'] == \
        'live-migration' else 'done'
    migrations_db.migration_update(context, migration_id,
                                   {'status': status})
    return instances_db.instance_update(context, instance_uuid, values)
