"""Guest operations that change one instance on this host in place:
power (reboot, stop, start, pause, suspend and back), password, crash
dump, rescue.

Each runs as one instance-action event. On success the instance leaves
its task_state for the operation's final vm_state with the power state
the driver reports; on failure it leaves the task_state too (never stuck)
with a fault that says what failed, and goes to ERROR only when the
operation's outcome is unknowable (a failed reboot may leave the guest
anywhere).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from oslo_log import log as logging

from nova import exception
from nova.compute import task_states as ts
from nova.compute import vm_states as vm
from nova.compute.flows import common
from nova.objects import instance as instance_obj

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Operation:
    event: str                      # instance-action event name
    expected_task_state: Any        # what the API set (or a list)
    vm_state: str | None            # vm_state on success (None: keep)
    error_on_failure: bool = False  # ERROR rather than back to vm_state


OPERATIONS = {
    'reboot': Operation('compute_reboot_instance',
                        [ts.REBOOTING, ts.REBOOTING_HARD], vm.ACTIVE,
                        error_on_failure=True),
    'stop': Operation('compute_stop_instance', ts.POWERING_OFF, vm.STOPPED),
    'start': Operation('compute_start_instance', ts.POWERING_ON, vm.ACTIVE),
    'pause': Operation('compute_pause_instance', ts.PAUSING, vm.PAUSED),
    'unpause': Operation('compute_unpause_instance', ts.UNPAUSING,
                         vm.ACTIVE),
    'suspend': Operation('compute_suspend_instance', ts.SUSPENDING,
                         vm.SUSPENDED),
    'resume': Operation('compute_resume_instance', ts.RESUMING, vm.ACTIVE),
    'trigger_crash_dump': Operation('compute_trigger_crash_dump', None,
                                    None),
    'set_admin_password': Operation('compute_set_admin_password',
                                    ts.UPDATING_PASSWORD, None),
    'rescue': Operation('compute_rescue_instance', ts.RESCUING,
                        vm.RESCUED),
    'unrescue': Operation('compute_unrescue_instance', ts.UNRESCUING,
                          vm.ACTIVE),
    'soft_delete': Operation('compute_soft_delete_instance',
                             ts.SOFT_DELETING, vm.SOFT_DELETED),
    'restore': Operation('compute_restore_instance', ts.RESTORING,
                         vm.ACTIVE),
}


def run(manager: Any, context: Any, instance: dict[str, Any], name: str,
        work: Callable[[instance_obj.Instance], dict[str, Any] | None]
        ) -> bool:
    """Run ``work(guest)`` as operation ``name``; True when it succeeded.

    ``work`` may return extra instance values to record with the result.
    """
    op = OPERATIONS[name]
    uuid = instance['uuid']
    conductor = manager.conductor
    guest = instance_obj.Instance(instance)
    try:
        with common.action_event(conductor, context, uuid, op.event,
                                 manager.host):
            extra = work(guest) or {}
            values = dict(extra, task_state=None,
                          power_state=manager.driver.get_info(guest).state)
            if op.vm_state:
                values['vm_state'] = op.vm_state
            conductor.instance_update(
                context, uuid, values,
                expected_task_state=op.expected_task_state,
                check_task_state=op.expected_task_state is not None)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            LOG.info('%s of %s overtaken: %s', name, uuid, exc)
            return False
        LOG.warning('%s of %s failed: %s', name, uuid, exc)
        if isinstance(exc, exception.InstanceNotFound):
            # The hypervisor lost the guest: its state is unknowable.
            op = dataclasses.replace(op, error_on_failure=True)
        _after_failure(manager, context, guest, op, exc)
        return False
    LOG.info('%s of %s done', name, uuid)
    return True


def _after_failure(manager: Any, context: Any,
                   guest: instance_obj.Instance, op: Operation,
                   exc: BaseException) -> None:
    values: dict[str, Any] = {'task_state': None}
    try:
        values['power_state'] = manager.driver.get_info(guest).state
    except Exception:  # noqa: BLE001 - the guest may be gone entirely
        LOG.debug('No power state for %s after a failure', guest.uuid)
    if op.error_on_failure:
        values['vm_state'] = vm.ERROR
    try:
        manager.conductor.instance_update(context, guest.uuid, values,
                                          expected_task_state=None,
                                          check_task_state=False)
    except exception.InstanceNotFound:
        return
    common.record_fault(manager.conductor, context, guest.uuid, exc,
                        manager.host)


# -- the operations -----------------------------------------------------------

def _network_info(manager: Any, context: Any, uuid: str) -> Any:
    return manager.conductor.network_info(context, uuid)


def reboot(manager: Any, context: Any, instance: dict[str, Any],
           reboot_type: str) -> None:
    def work(guest: instance_obj.Instance) -> None:
        manager.driver.reboot(context, guest,
                              _network_info(manager, context, guest.uuid),
                              reboot_type)
    run(manager, context, instance, 'reboot', work)


def stop(manager: Any, context: Any, instance: dict[str, Any],
         clean_shutdown: bool) -> None:
    from nova import conf as nova_conf
    opts = nova_conf.CONF.compute
    timeout = opts.shutdown_timeout if clean_shutdown else 0
    run(manager, context, instance, 'stop', lambda guest: (
        manager.driver.power_off(guest, timeout,
                                 opts.shutdown_retry_interval)))


def start(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    run(manager, context, instance, 'start', lambda guest: (
        manager.driver.power_on(
            context, guest, _network_info(manager, context, guest.uuid))))


def pause(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    run(manager, context, instance, 'pause',
        lambda guest: manager.driver.pause(guest))


def unpause(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    run(manager, context, instance, 'unpause',
        lambda guest: manager.driver.unpause(guest))


def suspend(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    run(manager, context, instance, 'suspend',
        lambda guest: manager.driver.suspend(context, guest))


def resume(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    run(manager, context, instance, 'resume', lambda guest: (
        manager.driver.resume(
            context, guest, _network_info(manager, context, guest.uuid))))


def trigger_crash_dump(manager: Any, context: Any,
                       instance: dict[str, Any]) -> None:
    run(manager, context, instance, 'trigger_crash_dump',
        lambda guest: manager.driver.trigger_crash_dump(guest))


def set_admin_password(manager: Any, context: Any, instance: dict[str, Any],
                       new_pass: str) -> None:
    run(manager, context, instance, 'set_admin_password',
        lambda guest: manager.driver.set_admin_password(guest, new_pass))


def rescue(manager: Any, context: Any, instance: dict[str, Any],
           image_meta: dict[str, Any], rescue_password: str | None) -> None:
    def work(guest: instance_obj.Instance) -> None:
        manager.driver.rescue(context, guest,
                              _network_info(manager, context, guest.uuid),
                              image_meta, rescue_password)
    run(manager, context, instance, 'rescue', work)


def unrescue(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    run(manager, context, instance, 'unrescue',
        lambda guest: manager.driver.unrescue(context, guest))


def soft_delete(manager: Any, context: Any,
                instance: dict[str, Any]) -> None:
    """Stop the guest but keep everything: restore can bring it back
    until the reclaim task deletes it for good."""
    from nova import conf as nova_conf
    opts = nova_conf.CONF.compute
    run(manager, context, instance, 'soft_delete', lambda guest: (
        manager.driver.power_off(guest, opts.shutdown_timeout,
                                 opts.shutdown_retry_interval)))


def restore(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    run(manager, context, instance, 'restore', lambda guest: (
        manager.driver.power_on(
            context, guest, _network_info(manager, context, guest.uuid))))
