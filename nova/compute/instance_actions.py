"""API-side reads of instance actions (os-instance-actions).

Also home of ``get_instance``, the project-scoped instance lookup that
the admin-side per-server APIs (actions, server migrations) share: a
caller outside the instance's project gets "not found", never
"forbidden", so the instance's existence does not leak.
"""

from __future__ import annotations

import datetime
from typing import Any

from nova import context as nova_context
from nova import exception
from nova.db.api import instance_actions as actions_db
from nova.db.api import instances as instances_db
from nova.i18n import _


def get_instance(context: nova_context.RequestContext, uuid: str,
                 read_deleted: str = 'no') -> dict[str, Any]:
    """The instance if the caller may see it (admin or same project)."""
    instance = instances_db.instance_get_by_uuid(
        context.elevated(read_deleted=read_deleted), uuid)
    if not context.is_admin and instance['project_id'] != context.project_id:
        raise exception.InstanceNotFound(instance_id=uuid)
    return instance


def list_actions(context: nova_context.RequestContext, instance_uuid: str,
                 limit: int | None = None, marker: str | None = None,
                 changes_since: datetime.datetime | None = None,
                 changes_before: datetime.datetime | None = None
                 ) -> list[dict[str, Any]]:
    """Actions of an instance, newest first; ``marker`` is a request id
    (an unknown one is a bad request)."""
    try:
        return actions_db.actions_get(
            context.elevated(), instance_uuid, limit=limit, marker=marker,
            changes_since=changes_since, changes_before=changes_before)
    except exception.MarkerNotFound:
        raise exception.Invalid(
            reason=_('Marker %s could not be found.') % marker) from None


def get_action(context: nova_context.RequestContext, instance_uuid: str,
               request_id: str) -> dict[str, Any]:
    """One action with its ``events`` (newest first)."""
    admin = context.elevated()
    action = actions_db.action_get_by_request_id(admin, instance_uuid,
                                                 request_id)
    action['events'] = actions_db.action_events_get(admin, action['id'])
    return action


def event_details(event: dict[str, Any]) -> str | None:
    """What went wrong in a failed event (2.84), safe for every reader.

    The recorded ``details`` when a service stored them; otherwise read
    from the last line of the recorded traceback: our own exceptions
    carry user-facing messages, so their message is shown; for any other
    exception only its class name, since its text may reveal internals.
    """
    if event.get('details'):
        return event['details']
    if (event.get('result') or '').lower() != 'error':
        return None
    lines = [line for line in (event.get('traceback') or '').splitlines()
             if line.strip()]
    if not lines:
        return None
    kind, _sep, message = lines[-1].partition(': ')
    if kind.startswith('nova.exception.') and message:
        return message.strip()
    return kind.rsplit('.', 1)[-1].strip() or None
