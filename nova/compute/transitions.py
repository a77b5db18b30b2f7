"""The one table of which server action may start from which state.

``TABLE`` maps an action name (the instance-action name recorded for it)
to the vm_states it may start from, the task_states it tolerates (almost
always "none": one operation at a time) and the task_state it sets while
the work runs. The API checks the table and then claims the instance with
a conditional UPDATE on the same states, so of two racing requests one
wins and the other gets a 409.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from nova import exception
from nova.compute import task_states as ts
from nova.compute import vm_states as vm

_IDLE = frozenset({None})


@dataclasses.dataclass(frozen=True)
class Transition:
    vm_states: frozenset[str]
    task_state: str | None          # set while the work runs
    task_states: frozenset[str | None] = _IDLE
    # Non-admins may not start it on a locked server.
    refused_when_locked: bool = True


def _t(states: set[str], task_state: str | None, **kw: Any) -> Transition:
    return Transition(frozenset(states), task_state, **kw)


_RUNNING = {vm.ACTIVE}
_ON_A_HOST = {vm.ACTIVE, vm.STOPPED, vm.PAUSED, vm.SUSPENDED}

TABLE: dict[str, Transition] = {
    'reboot': _t({vm.ACTIVE, vm.STOPPED, vm.PAUSED, vm.SUSPENDED, vm.ERROR,
                  vm.RESCUED}, ts.REBOOTING),
    'reboot_hard': _t({vm.ACTIVE, vm.STOPPED, vm.PAUSED, vm.SUSPENDED,
                       vm.ERROR, vm.RESCUED}, ts.REBOOTING_HARD,
                      # A hard reboot is how users unstick a soft one.
                      task_states=frozenset({None, ts.REBOOTING,
                                             ts.REBOOT_PENDING,
                                             ts.REBOOT_STARTED})),
    'stop': _t({vm.ACTIVE, vm.ERROR, vm.RESCUED}, ts.POWERING_OFF),
    'start': _t({vm.STOPPED}, ts.POWERING_ON),
    'pause': _t(_RUNNING, ts.PAUSING),
    'unpause': _t({vm.PAUSED}, ts.UNPAUSING),
    'suspend': _t(_RUNNING, ts.SUSPENDING),
    'resume': _t({vm.SUSPENDED}, ts.RESUMING),
    'trigger_crash_dump': _t(_RUNNING, None),
    'changePassword': _t(_RUNNING, ts.UPDATING_PASSWORD),
    # Reading the console log changes nothing: allowed mid-operation.
    'getConsoleOutput': _t(_ON_A_HOST | {vm.RESCUED, vm.ERROR,
                                         vm.RESIZED, vm.SHELVED}, None,
                           task_states=frozenset({None, *ts.ALL}),
                           refused_when_locked=False),
    'getConsole': _t(_RUNNING | {vm.RESCUED}, None,
                     refused_when_locked=False),
    'rescue': _t({vm.ACTIVE, vm.STOPPED, vm.ERROR}, ts.RESCUING),
    'unrescue': _t({vm.RESCUED}, ts.UNRESCUING),
    'rebuild': _t({vm.ACTIVE, vm.STOPPED, vm.ERROR}, ts.REBUILDING),
    'createImage': _t({vm.ACTIVE, vm.STOPPED, vm.PAUSED, vm.SUSPENDED,
                       vm.SHELVED, vm.SHELVED_OFFLOADED},
                      ts.IMAGE_SNAPSHOT_PENDING),
    'createBackup': _t({vm.ACTIVE, vm.STOPPED, vm.PAUSED, vm.SUSPENDED},
                       ts.IMAGE_BACKUP, refused_when_locked=True),
    'resize': _t({vm.ACTIVE, vm.STOPPED}, ts.RESIZE_PREP),
    'migrate': _t({vm.ACTIVE, vm.STOPPED}, ts.RESIZE_PREP),
    'confirmResize': _t({vm.RESIZED}, ts.RESIZE_CONFIRMING),
    'revertResize': _t({vm.RESIZED}, ts.RESIZE_REVERTING),
    'live-migration': _t({vm.ACTIVE, vm.PAUSED}, ts.MIGRATING),
    # Steer a live migration under way; the task stays MIGRATING.
    'live_migration_force_complete': _t(
        {vm.ACTIVE, vm.PAUSED}, None, task_states=frozenset({ts.MIGRATING})),
    'live_migration_abort': _t(
        {vm.ACTIVE, vm.PAUSED}, None, task_states=frozenset({ts.MIGRATING})),
    'evacuate': _t({vm.ACTIVE, vm.STOPPED, vm.ERROR}, ts.REBUILDING),
    'shelve': _t({vm.ACTIVE, vm.STOPPED, vm.PAUSED, vm.SUSPENDED},
                 ts.SHELVING),
    'shelveOffload': _t({vm.SHELVED}, ts.SHELVING_OFFLOADING),
    'unshelve': _t({vm.SHELVED, vm.SHELVED_OFFLOADED}, ts.UNSHELVING),
    'soft_delete': _t({vm.ACTIVE, vm.STOPPED, vm.PAUSED, vm.SUSPENDED,
                       vm.ERROR, vm.RESCUED, vm.RESIZED, vm.SHELVED},
                      ts.SOFT_DELETING),
    'restore': _t({vm.SOFT_DELETED}, ts.RESTORING),
    'forceDelete': _t({vm.SOFT_DELETED, vm.ACTIVE, vm.STOPPED, vm.PAUSED,
                       vm.SUSPENDED, vm.ERROR, vm.RESCUED, vm.RESIZED,
                       vm.SHELVED, vm.SHELVED_OFFLOADED, vm.BUILDING},
                      None, task_states=frozenset(
                          {None, ts.SOFT_DELETING, ts.REBOOTING,
                           ts.POWERING_OFF, ts.POWERING_ON})),
    'lock': _t(set(vm.ALL), None, task_states=frozenset(
        {None, *ts.ALL}), refused_when_locked=False),
    'unlock': _t(set(vm.ALL), None, task_states=frozenset(
        {None, *ts.ALL}), refused_when_locked=False),
}


def transition(action: str) -> Transition:
    return TABLE[action]


def check(context: Any, instance: dict[str, Any], action: str) -> Transition:
    """The action's transition, or the 409 that says why it may not run."""
    rule = TABLE[action]
    if rule.refused_when_locked and instance.get('locked') and \
            not context.is_admin:
        raise exception.InstanceLocked(instance_uuid=instance['uuid'])
    if instance['vm_state'] not in rule.vm_states:
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance['uuid'],
            attr='vm_state', state=instance['vm_state'])
    if instance['task_state'] not in rule.task_states:
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance['uuid'],
            attr='task_state', state=instance['task_state'])
    return rule
