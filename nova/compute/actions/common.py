"""What every server action does before its RPC: check the state table,
claim the instance and record the instance action, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nova import exception
from nova import servicegroup
from nova.compute import transitions
from nova.db import engine
from nova.db.api import instance_actions as actions_db
from nova.db.api import instances as instances_db
from nova.db.api import services as services_db
from nova.i18n import _


def begin(context: Any, instance: dict[str, Any], action: str, *,
          values: dict[str, Any] | None = None,
          needs_compute: bool = True,
          record: bool = True,
          then: Callable[[Any, dict[str, Any]], None] | None = None
          ) -> dict[str, Any]:
    """Start ``action`` on ``instance``; the updated instance.

    Raises the 409 that says why when the state table, the lock or a
    down compute forbids it, or when another request won the race.
    ``then(context, updated_instance)`` writes the action's own records
    in the same transaction.
    """
    rule = transitions.check(context, instance, action)
    if needs_compute:
        require_compute(context, instance)
    new = dict(values or {})
    if rule.task_state is not None:
        new['task_state'] = rule.task_state
    try:
        return _claim(context, instance['uuid'], action, rule, new, record,
                      then)
    except (exception.UnexpectedTaskStateError,
            exception.UnexpectedVMStateError):
        # Another request changed the instance since we read it.
        current = instances_db.instance_get_by_uuid(context,
                                                    instance['uuid'])
        transitions.check(context, current, action)
        raise


@engine.writer
def _claim(context: Any, uuid: str, action: str,
           rule: transitions.Transition, values: dict[str, Any],
           record: bool,
           then: Callable[[Any, dict[str, Any]], None] | None
           ) -> dict[str, Any]:
    if values:
        instance = instances_db.instance_update(
            context, uuid, values,
            expected_task_state=list(rule.task_states),
            expected_vm_state=list(rule.vm_states))
    else:
        instance = instances_db.instance_get_by_uuid(context, uuid)
    if record:
        record_action(context, uuid, action)
    if then is not None:
        then(context, instance)
    return instance


def record_action(context: Any, uuid: str, action: str) -> None:
    actions_db.action_start(context, {
        'action': action, 'instance_uuid': uuid,
        'request_id': context.request_id, 'user_id': context.user_id,
        'project_id': context.project_id})


def require_compute(context: Any, instance: dict[str, Any]) -> None:
    """409 unless the instance's compute service is up to do the work."""
    host = instance.get('host')
    if not host:
        raise exception.InstanceInvalidState(
            action='this action', instance_uuid=instance['uuid'],
            attr='host', state='None')
    try:
        service = services_db.service_get_by_compute_host(context, host)
    except exception.ComputeHostNotFound:
        service = None
    if service is None or not servicegroup.is_up(service):
        raise exception.Conflict(reason=_(
            'the compute service of host %s is unavailable at this time'
        ) % host)


def known_host(context: Any, host: str) -> dict[str, Any]:
    """The compute service of ``host`` named in a request (400 if none)."""
    try:
        return services_db.service_get_by_compute_host(context, host)
    except exception.ComputeHostNotFound:
        raise exception.Invalid(reason=_(
            'Compute host %s could not be found.') % host) from None
