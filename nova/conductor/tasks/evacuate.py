"""Evacuate and live-migrate: choose a destination, then start the move.

Evacuation rebuilds a server whose host is down on another host: the
dead host's allocation passes to the migration and is freed when the
rebuild there succeeds. Live migration keeps the guest running: the
source compute drives it once the destination is claimed.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

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
