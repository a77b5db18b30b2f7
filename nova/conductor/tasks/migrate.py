"""Cold migration and resize: pick a destination, then hand the instance
to its source compute (which hands it on to the destination).

The source node's resources pass to the migration before the scheduler
claims the destination for the instance, so neither is counted twice
and a failed move can give the source back unchanged.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

from nova import exception
from nova.compute import rpcapi as compute_rpcapi
from nova.conductor.tasks import move_records
from nova.conductor.tasks import records
from nova.db.api import allocations as allocations_db
from nova.db.api import instances as instances_db
from nova.db.api import migrations as migrations_db
from nova.db.api import request_specs as request_specs_db
from nova.scheduler import rpcapi as scheduler_rpcapi

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
EVENT = 'conductor_migrate_server'


def migrate_server(context: Any, instance_uuid: str, migration_id: int,
                   flavor: dict[str, Any], host: str | None,
                   allow_same_host: bool) -> None:
    records.event_start(context, instance_uuid, EVENT, CONF.host)
    migration = migrations_db.migration_get(context, migration_id)
    try:
        instance = instances_db.instance_get_by_uuid(context, instance_uuid)
        spec = spec_for(context, instance, flavor, host, allow_same_host)
        allocations_db.allocations_move(context, instance_uuid,
                                        migration['uuid'])
        selection = scheduler_rpcapi.SchedulerAPI().select_destinations(
            context, spec, [instance_uuid])[0][0]
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        LOG.warning('No destination for the move of %s: %s',
                    instance_uuid, exc)
        fail(context, instance_uuid, migration_id, exc, EVENT, {})
        return
    migration = move_records.migration_update(context, migration_id, {
        'dest_compute': selection['host'],
        'dest_node': selection['nodename'],
        'dest_host': selection['host'], 'status': 'migrating'})
    records.event_finish(context, instance_uuid, EVENT, 'Success', None)
    compute_rpcapi.ComputeAPI().resize_instance(
        context, instance, migration, flavor)


def spec_for(context: Any, instance: dict[str, Any],
             flavor: dict[str, Any] | None, host: str | None,
             allow_same_host: bool) -> dict[str, Any]:
    """The boot's request spec, re-aimed at a move (``flavor`` None:
    the instance's own)."""
    spec = request_specs_db.request_spec_get_by_instance_uuid(
        context, instance['uuid'])['spec']
    # The boot's flavor may be stale (resized since): use the instance's.
    spec['flavor'] = flavor if flavor is not None else \
        (instance.get('extra') or {}).get('flavor') or spec['flavor']
    spec.update(instance_uuid=instance['uuid'], num_instances=1,
                retry={'num_attempts': 1, 'hosts': []},
                force_hosts=[], force_nodes=[],
                requested_destination={'host': host} if host else None,
                # The move is its own request: a zone the user asked for
                # at boot still holds, an old forced host does not.
                ignore_hosts=[] if allow_same_host else [instance['host']])
    return spec


def fail(context: Any, instance_uuid: str, migration_id: int,
         exc: BaseException, event: str | None,
         values: dict[str, Any]) -> None:
    """End a failed move: records restored, a fault that says why."""
    try:
        move_records.aborted(context, instance_uuid, migration_id, values)
    except exception.InstanceNotFound:
        return
    code, message, details = exception.fault_of(exc)
    records.fault_create(context, instance_uuid, code, message, details,
                         CONF.host)
    if event:
        records.event_finish(context, instance_uuid, event, 'Error',
                             details)


def confirm_stale_resizes(context: Any, now: Any = None) -> None:
    """Confirm what waited in VERIFY_RESIZE longer than
    ``[compute] resize_confirm_window`` (0: never); ``now`` for tests."""
    from oslo_utils import timeutils

    from nova.compute.actions import resize as resize_api
    window = CONF.compute.resize_confirm_window
    if window <= 0:
        return
    for migration in migrations_db.migration_get_all_by_filters(
            context, {'status': 'finished'}):
        changed = migration.get('updated_at') or migration['created_at']
        now = now or timeutils.utcnow()
        if (now - changed).total_seconds() <= window:
            continue
        uuid = migration['instance_uuid']
        try:
            instance = instances_db.instance_get_by_uuid(context, uuid)
            LOG.info('Confirming the resize of %s: it waited more than '
                     '%s s', uuid, window)
            resize_api.confirm(context, instance)
        except exception.NovaException as exc:
            # Deleted, reverted meanwhile, or its source compute is down:
            # the next run tries again.
            LOG.info('Could not confirm the resize of %s yet: %s', uuid,
                     exc.format_message())
