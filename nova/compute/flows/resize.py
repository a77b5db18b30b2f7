"""Resize and cold migration on the computes.

    source: resize_instance       stop the guest, hand its disks over
    dest:   finish_resize         take the instance, start it (RESIZED)
    then either
    source: confirm_resize        drop the source copy (ACTIVE/SHUTOFF)
    or
    dest:   revert_resize         drop the destination copy
    source: finish_revert_resize  bring the source copy back

Every step is one instance-action event; records go through conductor
(nova/conductor/tasks/move_records.py). A failed step ends the move in a
defined state: the migration in ``error``, resources as before, the
instance back to its vm_state (or ERROR when its guest is lost) with a
fault.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

from nova import exception
from nova.compute import move_state
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states as ts
from nova.compute import vm_states as vm
from nova.compute.flows import common
from nova.objects import instance as instance_obj
from nova.virt import power_state

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def _fail(manager: Any, context: Any, instance: dict[str, Any],
          migration: dict[str, Any], exc: BaseException,
          guest_lost: bool) -> None:
    LOG.warning('Move of %s failed on %s: %s', instance['uuid'],
                manager.host, exc)
    values: dict[str, Any] = {'task_state': None}
    if guest_lost:
        values['vm_state'] = vm.ERROR
    else:
        values['vm_state'] = move_state.old_vm_state(instance) or \
            instance['vm_state']
    code, message, details = exception.fault_of(exc)
    manager.conductor.move_failed(
        context, instance['uuid'], migration['id'], values, code, message,
        details, manager.host)


def resize_instance(manager: Any, context: Any, instance: dict[str, Any],
                    migration: dict[str, Any],
                    flavor: dict[str, Any]) -> None:
    """Source: stop the guest and make its disks available to dest."""
    uuid = instance['uuid']
    conductor = manager.conductor
    guest = instance_obj.Instance(instance)
    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_resize_instance', manager.host):
            conductor.instance_update(
                context, uuid, {'task_state': ts.RESIZE_MIGRATING},
                expected_task_state=ts.RESIZE_PREP, check_task_state=True)
            network_info = conductor.network_info(context, uuid)
            disk_info = manager.driver.migrate_disk_and_power_off(
                context, guest, migration['dest_compute'], flavor,
                network_info, timeout=CONF.compute.shutdown_timeout,
                retry_interval=CONF.compute.shutdown_retry_interval)
            migration = conductor.migration_update(
                context, migration['id'], {'status': 'post-migrating'})
            instance = conductor.instance_update(
                context, uuid,
                {'task_state': ts.RESIZE_MIGRATED,
                 'power_state': common.power_of(manager, guest)},
                expected_task_state=ts.RESIZE_MIGRATING,
                check_task_state=True)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            LOG.info('Move of %s overtaken: %s', uuid, exc)
            return
        _restart_if_needed(manager, context, instance, guest)
        _fail(manager, context, instance, migration, exc, guest_lost=False)
        return
    compute_rpcapi.ComputeAPI().finish_resize(
        context, migration['dest_compute'], instance, migration, disk_info)


def _restart_if_needed(manager: Any, context: Any, instance: dict[str, Any],
                       guest: instance_obj.Instance) -> None:
    """A failed hand-over may have stopped a guest that was running."""
    if move_state.old_vm_state(instance) != vm.ACTIVE:
        return
    try:
        if manager.driver.get_info(guest).state != power_state.RUNNING:
            manager.driver.power_on(context, guest, [])
    except Exception:  # noqa: BLE001 - the fault will say what failed
        LOG.exception('Could not restart %s after a failed move',
                      guest.uuid)


def finish_resize(manager: Any, context: Any, instance: dict[str, Any],
                  migration: dict[str, Any], disk_info: str) -> None:
    """Destination: take the instance with its new sizes and start it."""
    uuid = instance['uuid']
    conductor = manager.conductor
    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_finish_resize', manager.host):
            instance = conductor.move_step(context, 'finish_started', uuid,
                                           migration['id'])
            guest = instance_obj.Instance(instance)
            old = move_state.old_flavor(instance) or {}
            new = move_state.new_flavor(instance) or {}
            manager.driver.finish_migration(
                context, migration, guest, disk_info,
                conductor.network_info(context, uuid),
                _image_meta(instance),
                resize_instance=old.get('id') != new.get('id'),
                allocations={},
                power_on=move_state.old_vm_state(instance) != vm.STOPPED)
            conductor.move_step(context, 'finish_done', uuid,
                                migration['id'],
                                power_state=common.power_of(manager, guest))
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            LOG.info('Move of %s overtaken: %s', uuid, exc)
            return
        _fail(manager, context, instance, migration, exc, guest_lost=True)
        return
    LOG.info('Instance %s resized/migrated to %s, awaiting confirmation',
             uuid, manager.host)


def _image_meta(instance: dict[str, Any]) -> dict[str, Any]:
    return {'id': instance.get('image_ref'), 'properties': {}}


def confirm_resize(manager: Any, context: Any, instance: dict[str, Any],
                   migration: dict[str, Any]) -> None:
    """Source: drop the old copy; the destination's is the server now."""
    uuid = instance['uuid']
    conductor = manager.conductor
    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_confirm_resize', manager.host):
            guest = instance_obj.Instance(instance)
            manager.driver.confirm_migration(
                context, migration, guest,
                conductor.network_info(context, uuid))
            conductor.move_step(context, 'confirmed', uuid, migration['id'],
                                power_state=instance['power_state'])
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            return
        # The server runs on the destination; the move is over, in error
        # (what the source kept is no longer counted).
        _fail(manager, context, instance, migration, exc, guest_lost=True)


def revert_resize(manager: Any, context: Any, instance: dict[str, Any],
                  migration: dict[str, Any]) -> None:
    """Destination: drop the new copy, then the source takes over."""
    uuid = instance['uuid']
    conductor = manager.conductor
    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_revert_resize', manager.host):
            if migration['source_compute'] != manager.host:
                manager.driver.destroy(context,
                                       instance_obj.Instance(instance),
                                       network_info=[])
            instance = conductor.move_step(context, 'reverted', uuid,
                                           migration['id'])
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if not common.overtaken(conductor, context, uuid, exc):
            _fail(manager, context, instance, migration, exc,
                  guest_lost=True)
        return
    compute_rpcapi.ComputeAPI().finish_revert_resize(
        context, migration['source_compute'], instance, migration)


def finish_revert_resize(manager: Any, context: Any,
                         instance: dict[str, Any],
                         migration: dict[str, Any]) -> None:
    """Source: the old copy, with the old sizes, is the server again."""
    uuid = instance['uuid']
    conductor = manager.conductor
    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_finish_revert_resize',
                                 manager.host):
            guest = instance_obj.Instance(instance)
            manager.driver.finish_revert_migration(
                context, guest, conductor.network_info(context, uuid),
                migration,
                power_on=move_state.old_vm_state(instance) != vm.STOPPED)
            conductor.move_step(context, 'revert_done', uuid,
                                migration['id'],
                                power_state=common.power_of(manager, guest))
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if not common.overtaken(conductor, context, uuid, exc):
            # Back on the source, which holds it again: the move is over.
            _fail(manager, context, instance, migration, exc,
                  guest_lost=True)
