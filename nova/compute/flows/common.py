"""Recording helpers shared by the compute flows (all via conductor)."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
from typing import Any

from oslo_log import log as logging

from nova import exception
from nova.compute import task_states
from nova.compute import vm_states

LOG = logging.getLogger(__name__)


@contextlib.contextmanager
def action_event(conductor: Any, context: Any, instance_uuid: str,
                 event: str, host: str) -> Iterator[None]:
    """Record an instance action event around a block, with its result."""
    conductor.action_event_start(context, instance_uuid, event, host)
    try:
        yield
    except Exception:
        conductor.action_event_finish(context, instance_uuid, event,
                                      'Error', traceback.format_exc())
        raise
    conductor.action_event_finish(context, instance_uuid, event, 'Success')


def set_error(conductor: Any, context: Any, instance_uuid: str,
              exc: BaseException, host: str) -> None:
    """ERROR state plus a fault that says why (details for admins)."""
    try:
        conductor.instance_update(context, instance_uuid,
                                  {'vm_state': vm_states.ERROR,
                                   'task_state': None})
    except exception.InstanceNotFound:
        return
    record_fault(conductor, context, instance_uuid, exc, host)


def record_fault(conductor: Any, context: Any, instance_uuid: str,
                 exc: BaseException, host: str) -> None:
    code, message, details = exception.fault_of(exc)
    try:
        conductor.instance_fault_create(context, instance_uuid, code,
                                        message, details, host)
    except Exception:  # noqa: BLE001 - the state change matters more
        LOG.exception('Could not record a fault for %s', instance_uuid)


BUILD_STATES = task_states.BUILD_STATES


def power_of(manager: Any, guest: Any) -> int:
    """The guest's power state, NOSTATE when the hypervisor has none."""
    from nova.virt import power_state
    try:
        return manager.driver.get_info(guest).state
    except exception.InstanceNotFound:
        return power_state.NOSTATE


def instance_exists(conductor: Any, context: Any, instance_uuid: str) -> bool:
    """Whether the instance's record is still there (not deleted)."""
    try:
        conductor.instance_get(context, instance_uuid)
    except exception.InstanceNotFound:
        return False
    return True


def overtaken(conductor: Any, context: Any, instance_uuid: str,
              exc: BaseException) -> bool:
    """Whether ``exc`` says someone else changed the instance while we
    worked (an admin reset its task, a user deleted it): their outcome
    stands. A guest the hypervisor lost while the record is still there
    is not that: it is a failure to end in a defined state."""
    if isinstance(exc, exception.UnexpectedTaskStateError):
        return True
    if isinstance(exc, exception.InstanceNotFound):
        return not instance_exists(conductor, context, instance_uuid)
    return False
