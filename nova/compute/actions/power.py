"""Power and guest-state actions: the API half (state checks, records,
the cast). The compute half is nova/compute/flows/guest_ops.py.
"""

from __future__ import annotations

from typing import Any

from nova import exception
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import transitions
from nova.compute import vm_states as vm
from nova.compute.actions import common
from nova.db.api import instances as instances_db
from nova.i18n import _


def _rpc() -> compute_rpcapi.ComputeAPI:
    return compute_rpcapi.ComputeAPI()


def reboot(context: Any, instance: dict[str, Any], reboot_type: str) -> None:
    hard = reboot_type.upper() == 'HARD'
    updated = common.begin(context, instance,
                           'reboot_hard' if hard else 'reboot')
    _rpc().reboot_instance(context, updated, 'HARD' if hard else 'SOFT')


def stop(context: Any, instance: dict[str, Any]) -> None:
    _rpc().stop_instance(context, common.begin(context, instance, 'stop'))


def start(context: Any, instance: dict[str, Any]) -> None:
    _rpc().start_instance(context, common.begin(context, instance, 'start'))


def pause(context: Any, instance: dict[str, Any]) -> None:
    _rpc().pause_instance(context, common.begin(context, instance, 'pause'))


def unpause(context: Any, instance: dict[str, Any]) -> None:
    _rpc().unpause_instance(context,
                            common.begin(context, instance, 'unpause'))


def suspend(context: Any, instance: dict[str, Any]) -> None:
    _rpc().suspend_instance(context,
                            common.begin(context, instance, 'suspend'))


def resume(context: Any, instance: dict[str, Any]) -> None:
    _rpc().resume_instance(context,
                           common.begin(context, instance, 'resume'))


def trigger_crash_dump(context: Any, instance: dict[str, Any]) -> None:
    _rpc().trigger_crash_dump(
        context, common.begin(context, instance, 'trigger_crash_dump'))


def change_password(context: Any, instance: dict[str, Any],
                    password: str) -> None:
    _rpc().set_admin_password(
        context, common.begin(context, instance, 'changePassword'),
        password)


def console_output(context: Any, instance: dict[str, Any],
                   length: int | None) -> str:
    transitions.check(context, instance, 'getConsoleOutput')
    common.require_compute(context, instance)
    return _rpc().get_console_output(context, instance, length)


def lock(context: Any, instance: dict[str, Any],
         reason: str | None) -> None:
    """Lock against non-admin changes; the locker's role is kept so that
    an owner cannot unlock what an admin locked."""
    transitions.check(context, instance, 'lock')
    system_metadata = dict(instance.get('system_metadata') or {})
    system_metadata.pop('locked_reason', None)
    if reason:
        system_metadata['locked_reason'] = reason
    instances_db.instance_update(context, instance['uuid'], {
        'locked': True,
        'locked_by': 'owner' if context.project_id ==
        instance['project_id'] else 'admin',
        'system_metadata': system_metadata})
    common.record_action(context, instance['uuid'], 'lock')


def unlock(context: Any, instance: dict[str, Any],
           may_unlock_any: bool) -> None:
    transitions.check(context, instance, 'unlock')
    if instance.get('locked_by') == 'admin' and not may_unlock_any:
        raise exception.PolicyNotAuthorized(action='unlock_override')
    system_metadata = dict(instance.get('system_metadata') or {})
    system_metadata.pop('locked_reason', None)
    instances_db.instance_update(context, instance['uuid'], {
        'locked': False, 'locked_by': None,
        'system_metadata': system_metadata})
    common.record_action(context, instance['uuid'], 'unlock')


_RESET_TO = {'active': vm.ACTIVE, 'error': vm.ERROR}


def reset_state(context: Any, instance: dict[str, Any], state: str) -> None:
    """Admin override: set vm_state, clear any task (no compute call)."""
    if state not in _RESET_TO:
        raise exception.Invalid(reason=_(
            "state must be 'active' or 'error', not %r") % state)
    instances_db.instance_update(context, instance['uuid'], {
        'vm_state': _RESET_TO[state], 'task_state': None})
    common.record_action(context, instance['uuid'], 'resetState')

