"""Evacuate and live-migrate: choose a destination, then start the move.

Evacuation rebuilds a server whose host is down on another host: the
dead host's allocation passes to the migration and is freed when the
rebuild there succeeds. The dead host's copy stays where it was until
that host's compute starts again and removes it (``left_on``).
Live migration keeps the guest running: the source compute drives it once
the destination is claimed.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

from nova import exception
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states as ts
from nova.conductor.tasks import migrate
from nova.conductor.tasks import move_records
from nova.conductor.tasks import records
from nova.db.api import allocations as allocations_db
from nova.db.api import instances as instances_db
from nova.db.api import migrations as migrations_db
from nova.image import api as image_api
from nova.scheduler import rpcapi as scheduler_rpcapi

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# Evacuations whose source may still hold a copy of the guest: accepted
# (conductor is choosing a destination), migrating (the destination is
# rebuilding) or done. A source that comes back removes its copy and
# completes the done ones. After 'error' the copy on the source is the
# only one left of the server: it stays for an admin to recover.
SOURCE_NOT_CLEANED = ('accepted', 'migrating', 'done')


def _select(context: Any, instance: dict[str, Any], migration: dict[str, Any],
            host: str | None) -> dict[str, Any]:
    """Hand the source to the migration, then claim a destination."""
    spec = migrate.spec_for(context, instance, None, host,
                            allow_same_host=False)
    allocations_db.allocations_move(context, instance['uuid'],
                                    migration['uuid'])
    return scheduler_rpcapi.SchedulerAPI().select_destinations(
        context, spec, [instance['uuid']])[0][0]


def evacuate(context: Any, instance_uuid: str, migration_id: int,
             host: str | None, admin_password: str | None,
             stopped: bool) -> None:
    event = 'conductor_rebuild_server'
    records.event_start(context, instance_uuid, event, CONF.host)
    migration = migrations_db.migration_get(context, migration_id)
    try:
        instance = instances_db.instance_get_by_uuid(context, instance_uuid)
        selection = _select(context, instance, migration, host)
        image = image_api.API().get(context, instance['image_ref'])
        instance = instances_db.instance_update(
            context, instance_uuid,
            {'host': selection['host'], 'node': selection['nodename']},
            expected_task_state=ts.REBUILDING)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        LOG.warning('Evacuation of %s failed: %s', instance_uuid, exc)
        migrate.fail(context, instance_uuid, migration_id, exc, event, {})
        return
    move_records.migration_update(context, migration_id, {
        'dest_compute': selection['host'],
        'dest_node': selection['nodename'],
        'dest_host': selection['host'], 'status': 'migrating'})
    records.event_finish(context, instance_uuid, event, 'Success', None)
    compute_rpcapi.ComputeAPI().rebuild_instance(
        context, instance, image, admin_password, stopped=stopped,
        host=selection['host'], evacuate=True, migration_id=migration_id)


def live_migrate(context: Any, instance_uuid: str, migration_id: int,
                 host: str | None, block_migration: Any) -> None:
    event = 'conductor_live_migrate_instance'
    records.event_start(context, instance_uuid, event, CONF.host)
    migration = migrations_db.migration_get(context, migration_id)
    try:
        instance = instances_db.instance_get_by_uuid(context, instance_uuid)
        selection = _select(context, instance, migration, host)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        LOG.warning('No destination for the live migration of %s: %s',
                    instance_uuid, exc)
        migrate.fail(context, instance_uuid, migration_id, exc, event, {})
        return
    migration = move_records.migration_update(context, migration_id, {
        'dest_compute': selection['host'],
        'dest_node': selection['nodename'],
        'dest_host': selection['host'], 'status': 'queued'})
    records.event_finish(context, instance_uuid, event, 'Success', None)
    compute_rpcapi.ComputeAPI().live_migration(
        context, instance, migration, block_migration)


def left_on(context: Any, host: str) -> list[dict[str, Any]]:
    """Evacuations out of ``host`` it has not cleaned up after, oldest
    first, each with its ``instance`` (deleted ones too, so the source
    can still name the guest; None once the row itself is gone)."""
    evacuations = migrations_db.migration_get_all_by_filters(
        context, {'source_compute': host, 'migration_type': 'evacuation',
                  'status': list(SOURCE_NOT_CLEANED)},
        sort_keys=['id'], sort_dirs=['asc'])
    with_deleted = context.elevated(read_deleted='yes')
    for migration in evacuations:
        try:
            migration['instance'] = instances_db.instance_get_by_uuid(
                with_deleted, migration['instance_uuid'])
        except exception.InstanceNotFound:
            migration['instance'] = None
    return evacuations
