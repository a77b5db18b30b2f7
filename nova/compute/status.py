"""The API's server status, derived from vm_state and task_state."""

from __future__ import annotations

from nova.compute import task_states
from nova.compute import vm_states

_BY_VM_STATE = {
    vm_states.ACTIVE: 'ACTIVE',
    vm_states.BUILDING: 'BUILD',
    vm_states.STOPPED: 'SHUTOFF',
    vm_states.PAUSED: 'PAUSED',
    vm_states.SUSPENDED: 'SUSPENDED',
    vm_states.RESCUED: 'RESCUE',
    vm_states.RESIZED: 'VERIFY_RESIZE',
    vm_states.SOFT_DELETED: 'SOFT_DELETED',
    vm_states.DELETED: 'DELETED',
    vm_states.ERROR: 'ERROR',
    vm_states.SHELVED: 'SHELVED',
    vm_states.SHELVED_OFFLOADED: 'SHELVED_OFFLOADED',
}

_T = task_states
_RESIZING = (_T.RESIZE_PREP, _T.RESIZE_MIGRATING, _T.RESIZE_MIGRATED,
             _T.RESIZE_FINISH)
_REBUILDING = (_T.REBUILDING, _T.REBUILD_SPAWNING)
_BY_TASK_STATE = {
    **{(vm_states.ACTIVE, t): 'REBOOT'
       for t in (_T.REBOOTING, _T.REBOOT_PENDING, _T.REBOOT_STARTED)},
    **{(vm, _T.REBOOTING_HARD): 'HARD_REBOOT'
       for vm in (vm_states.ACTIVE, vm_states.STOPPED, vm_states.PAUSED,
                  vm_states.SUSPENDED, vm_states.ERROR)},
    (vm_states.ACTIVE, _T.UPDATING_PASSWORD): 'PASSWORD',
    **{(vm, t): 'REBUILD' for t in _REBUILDING
       for vm in (vm_states.ACTIVE, vm_states.STOPPED, vm_states.ERROR)},
    **{(vm, _T.MIGRATING): 'MIGRATING'
       for vm in (vm_states.ACTIVE, vm_states.PAUSED)},
    **{(vm, t): 'RESIZE' for t in _RESIZING
       for vm in (vm_states.ACTIVE, vm_states.STOPPED)},
    (vm_states.RESIZED, _T.RESIZE_REVERTING): 'REVERT_RESIZE',
}


def server_status(vm_state: str | None, task_state: str | None) -> str:
    if task_state == task_states.DELETING and vm_state != vm_states.ERROR:
        return 'ACTIVE' if vm_state == vm_states.ACTIVE else \
            _BY_VM_STATE.get(vm_state, 'UNKNOWN')
    special = _BY_TASK_STATE.get((vm_state, task_state))
    if special:
        return special
    return _BY_VM_STATE.get(vm_state, 'UNKNOWN')


def vm_states_for(status: str) -> list[str]:
    """vm_states that show as ``status`` (for the list filter)."""
    status = status.upper()
    return [vm for vm, shown in _BY_VM_STATE.items() if shown == status]


def states_for(status: str) -> tuple[list[str], list[str] | None]:
    """(vm_states, task_states) of the servers shown as ``status``; no
    task_states (None) when any task shows it. Both empty: unknown."""
    status = status.upper()
    by_task = [(vm, task) for (vm, task), shown in _BY_TASK_STATE.items()
               if shown == status]
    if by_task:
        return (sorted({vm for vm, _ in by_task}),
                sorted({task for _, task in by_task}))
    return vm_states_for(status), None


ALL_STATUSES = sorted(set(_BY_VM_STATE.values()) |
                      set(_BY_TASK_STATE.values()))
