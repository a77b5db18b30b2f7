"""Live migration, driven by the source compute.

    dest:   check_and_prepare    the driver's destination checks and
                                 pre_live_migration (an RPC call)
    source: live_migration       source checks, then the driver moves the
                                 running guest and calls back
    post:   the instance is on the destination, the source's share freed
            (conductor), the destination finishes (post_..._at_destination)
    or recover: the guest still runs here; the destination is cleaned up
            and the source's allocation returns to the instance.
    or abort (on request, while queued, preparing or running): as
            recover, with the migration ``cancelled`` instead of ``error``.

Force-complete and abort arrive on other RPC threads of the source
compute while ``run`` waits or the driver copies the guest.
"""

from __future__ import annotations

import time
from typing import Any

from oslo_log import log as logging

from nova import exception
from nova.compute import live_migrations
from nova.compute import rpcapi as compute_rpcapi
from nova.compute.flows import common
from nova.objects import instance as instance_obj

LOG = logging.getLogger(__name__)


def check_and_prepare(manager: Any, context: Any, instance: dict[str, Any],
                      block_migration: Any) -> dict[str, Any]:
    """On the destination: can it take the guest? Get ready for it."""
    guest = instance_obj.Instance(instance)
    data = manager.driver.check_can_live_migrate_destination(
        context, guest, {}, {}, block_migration=bool(block_migration))
    return manager.driver.pre_live_migration(
        context, guest, None,
        manager.conductor.network_info(context, instance['uuid']), None,
        data)


def run(manager: Any, context: Any, instance: dict[str, Any],
        migration: dict[str, Any], block_migration: Any) -> None:
    """Wait for a slot (status ``queued``), then migrate; an abort
    request may cancel it at every step (see nova.compute.live_migrations).
    """
    with manager.live_migrations.tracked(migration['id'],
                                         instance['uuid']) as live:
        with manager.live_migrations.slot(live) as acquired:
            if acquired:
                _run(manager, context, instance, migration, block_migration,
                     live)
                return
        manager.conductor.live_migration_cancelled(
            context, instance['uuid'], migration['id'])
        LOG.info('Queued live migration %s of %s aborted by request',
                 migration['id'], instance['uuid'])


def _run(manager: Any, context: Any, instance: dict[str, Any],
         migration: dict[str, Any], block_migration: Any,
         live: live_migrations.LiveMigration) -> None:
    uuid = instance['uuid']
    conductor = manager.conductor
    guest = instance_obj.Instance(instance)
    dest = migration['dest_compute']
    rpc = compute_rpcapi.ComputeAPI()

    moved: list[bool] = []

    def post(ctx: Any, inst: Any, dest_host: str, block: Any,
             data: Any) -> None:
        # From here the guest is on the destination: whatever fails next
        # must not have the destination "cleaned up".
        moved.append(True)
        conductor.move_step(context, 'moved', uuid, migration['id'],
                            values={'host': dest_host,
                                    'node': migration['dest_node'],
                                    'task_state': None})
        rpc.post_live_migration_at_destination(context, dest_host,
                                               instance)
        LOG.info('Instance %s live-migrated to %s', uuid, dest_host)

    recovered: list[BaseException] = []

    def recover(ctx: Any, inst: Any, dest_host: str, data: Any) -> None:
        # The driver gave up and the guest still runs here: clean up the
        # destination; the action event fails once the driver returns,
        # then the records are put back (so a client that sees the task
        # cleared also sees the event's result).
        rpc.rollback_live_migration_at_destination(context, dest_host,
                                                   instance)
        recovered.append(exception.InstanceFaultError(
            message=f'live migration to {dest_host} failed; the server '
                    f'still runs on {manager.host}'))

    prepared = False
    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_live_migration', manager.host):
            if live.abort_requested:
                raise _Aborted(live.migration_id)
            conductor.migration_update(context, migration['id'],
                                       {'status': 'preparing'})
            data = rpc.check_and_prepare_live_migration(
                context, dest, instance, block_migration)
            prepared = True
            data = manager.driver.check_can_live_migrate_source(
                context, guest, data)
            if not live.start_driver():
                raise _Aborted(live.migration_id)
            conductor.migration_update(context, migration['id'],
                                       {'status': 'running'})
            try:
                manager.driver.live_migration(
                    context, guest, dest, post, recover,
                    block_migration=bool(block_migration),
                    migrate_data=data)
            finally:
                live.driver_done()
            if recovered and live.abort_requested:
                raise _Aborted(live.migration_id) from recovered[0]
            if recovered:
                raise _Recovered() from recovered[0]
    except exception.InstanceNotFound:
        return
    except _Aborted:
        if prepared and not recovered:
            rpc.rollback_live_migration_at_destination(context, dest,
                                                       instance)
        conductor.live_migration_cancelled(context, uuid, migration['id'])
        LOG.info('Live migration %s of %s aborted by request',
                 migration['id'], uuid)
    except _Recovered:
        _failed(manager, context, instance, migration, recovered[0])
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        LOG.warning('Live migration of %s failed: %s', uuid, exc)
        if prepared and not recovered and not moved:
            rpc.rollback_live_migration_at_destination(context, dest,
                                                       instance)
        _failed(manager, context, instance, migration, exc)


class _Aborted(Exception):
    def __init__(self, migration_id: int) -> None:
        super().__init__(f'live migration {migration_id} aborted by '
                         f'request')


class _Recovered(Exception):
    """The driver rolled the migration back (already recorded)."""


def _failed(manager: Any, context: Any, instance: dict[str, Any],
            migration: dict[str, Any], exc: BaseException) -> None:
    code, message, details = exception.fault_of(exc)
    manager.conductor.move_failed(
        context, instance['uuid'], migration['id'], {'task_state': None},
        code, message, details, manager.host)


def post_at_destination(manager: Any, context: Any,
                        instance: dict[str, Any]) -> None:
    guest = instance_obj.Instance(instance)
    try:
        manager.driver.post_live_migration_at_destination(
            context, guest,
            manager.conductor.network_info(context, instance['uuid']))
        power = manager.driver.get_info(guest).state
        manager.conductor.instance_update(
            context, instance['uuid'], {'power_state': power},
            expected_task_state=None, check_task_state=False)
    except Exception as exc:  # noqa: BLE001 - the guest runs; say so
        LOG.exception('Finishing the live migration of %s here failed',
                      instance['uuid'])
        common.record_fault(manager.conductor, context, instance['uuid'],
                            exc, manager.host)


def rollback_at_destination(manager: Any, context: Any,
                            instance: dict[str, Any]) -> None:
    try:
        manager.driver.rollback_live_migration_at_destination(
            context, instance_obj.Instance(instance), [], None)
    except Exception:  # noqa: BLE001 - best effort; the source runs it
        LOG.exception('Cleaning up after the failed live migration of %s',
                      instance['uuid'])


# How long an abort keeps asking a driver that has not registered its job
# yet: the driver starts right after the flow marks it running.
_ABORT_RETRY_SECONDS = 5.0


def abort(manager: Any, context: Any, instance: dict[str, Any],
          migration_id: int) -> None:
    """Cancel live migration ``migration_id`` of ``instance``."""
    with common.action_event(manager.conductor, context, instance['uuid'],
                             'compute_live_migration_abort', manager.host):
        live = _tracked(manager, instance, migration_id, 'abort')
        if manager.live_migrations.request_abort(live):
            _ask_driver(live, lambda: manager.driver.live_migration_abort(
                instance_obj.Instance(instance)))


def force_complete(manager: Any, context: Any, instance: dict[str, Any],
                   migration_id: int) -> None:
    """Make live migration ``migration_id`` of ``instance`` finish now."""
    with common.action_event(manager.conductor, context, instance['uuid'],
                             'compute_live_migration_force_complete',
                             manager.host):
        live = _tracked(manager, instance, migration_id, 'force_complete')
        _ask_driver(live, lambda: manager.driver.live_migration_force_complete(
            instance_obj.Instance(instance)))


def _tracked(manager: Any, instance: dict[str, Any], migration_id: int,
             action: str) -> live_migrations.LiveMigration:
    live = manager.live_migrations.get(migration_id)
    if live is None or live.instance_uuid != instance['uuid']:
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance['uuid'],
            attr=f'live migration {migration_id}',
            state=f'not running on {manager.host}')
    return live


def _ask_driver(live: live_migrations.LiveMigration, ask: Any) -> None:
    deadline = time.monotonic() + _ABORT_RETRY_SECONDS
    while True:
        try:
            ask()
            return
        except exception.InstanceInvalidState:
            # Marked running, but the driver may not have its job yet.
            if not live.driver_running or time.monotonic() > deadline:
                raise
        time.sleep(0.05)
