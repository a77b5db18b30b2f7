"""Rebuild (same host) and evacuate (another host, after its own host
died): a fresh root disk from an image for an existing server, keeping
its id, addresses and flavor.

Drivers that cannot rebuild in place get destroy then spawn. The server
ends ACTIVE, or SHUTOFF when it was stopped before a rebuild (or when an
evacuation was asked to leave it stopped); a failure ends in ERROR with
a fault, since the old root disk may be gone.
"""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging
from oslo_utils import timeutils

from nova import exception
from nova.compute import task_states as ts
from nova.compute import vm_states as vm
from nova.compute.flows import common
from nova.objects import instance as instance_obj

LOG = logging.getLogger(__name__)


def run(manager: Any, context: Any, instance: dict[str, Any],
        image_meta: dict[str, Any], admin_password: str | None,
        evacuate: bool = False, stopped: bool = False,
        migration_id: int | None = None,
        preserve_ephemeral: bool = False) -> None:
    """Rebuild here; ``migration_id``: the evacuation that brought the
    instance (its record and the dead host's allocation end with it)."""
    uuid = instance['uuid']
    conductor = manager.conductor
    event = 'compute_rebuild_instance'
    try:
        with common.action_event(conductor, context, uuid, event,
                                 manager.host):
            updated = _rebuild(manager, context, instance, image_meta,
                               admin_password, evacuate, preserve_ephemeral)
            guest = instance_obj.Instance(updated)
            if stopped:
                manager.driver.power_off(guest)
            values = {'vm_state': vm.STOPPED if stopped else vm.ACTIVE,
                      'task_state': None,
                      'power_state': manager.driver.get_info(guest).state,
                      'launched_at': timeutils.utcnow()}
            if migration_id is None:
                conductor.instance_update(
                    context, uuid, values,
                    expected_task_state=ts.REBUILD_SPAWNING,
                    check_task_state=True)
            else:
                conductor.move_step(context, 'moved', uuid, migration_id,
                                    values=values)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            LOG.info('Rebuild of %s overtaken: %s', uuid, exc)
            return
        _failed(manager, context, uuid, migration_id, exc)
        return
    LOG.info('Instance %s rebuilt on %s', uuid, manager.host)


def _failed(manager: Any, context: Any, uuid: str,
            migration_id: int | None, exc: BaseException) -> None:
    LOG.warning('Rebuild of %s failed: %s', uuid, exc)
    if migration_id is None:
        common.set_error(manager.conductor, context, uuid, exc,
                         manager.host)
    else:
        _evacuation_failed(manager, context, uuid, migration_id, exc)


def _rebuild(manager: Any, context: Any, instance: dict[str, Any],
             image_meta: dict[str, Any], admin_password: str | None,
             evacuate: bool, preserve_ephemeral: bool) -> dict[str, Any]:
    conductor = manager.conductor
    uuid = instance['uuid']
    updated = conductor.instance_update(
        context, uuid, {'task_state': ts.REBUILD_SPAWNING,
                        'power_state': instance['power_state']},
        expected_task_state=ts.REBUILDING, check_task_state=True)
    guest = instance_obj.Instance(updated)
    network_info = conductor.network_info(context, uuid)
    if not evacuate and manager.driver.supports('rebuild'):
        manager.driver.rebuild(context, guest, image_meta, [],
                               admin_password, network_info,
                               preserve_ephemeral=preserve_ephemeral)
        return updated
    if not evacuate:
        manager.driver.destroy(context, guest, network_info)
    manager.driver.spawn(context, guest, image_meta, injected_files=[],
                         admin_password=admin_password, allocations={},
                         network_info=network_info)
    return updated


def _evacuation_failed(manager: Any, context: Any, uuid: str,
                       migration_id: int, exc: BaseException) -> None:
    """ERROR here (the server has no guest anywhere now), the migration
    in error and the dead host's share freed."""
    code, message, details = exception.fault_of(exc)
    manager.conductor.move_failed(
        context, uuid, migration_id, {'vm_state': vm.ERROR}, code, message,
        details, manager.host)
