"""Instance actions (os-instance-actions) and their events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _action(context: Any, instance_uuid: str, request_id: str
            ) -> models.InstanceAction:
    """The newest action of a request on an instance."""
    table = models.InstanceAction
    action = context.session.scalars(
        sa.select(table)
        .where(table.instance_uuid == instance_uuid,
               table.request_id == request_id)
        .order_by(table.id.desc())).first()
    if action is None:
        raise exception.InstanceActionNotFound(
            request_id=request_id, instance_uuid=instance_uuid)
    return action


@engine.writer
def action_start(context: Any, values: Mapping[str, Any]
                 ) -> dict[str, Any]:
    """Record that ``action`` started: ``instance_uuid``, ``request_id``,
    ``user_id``, ``project_id``, ``start_time`` (default now)."""
    values = dict(values)
    values.setdefault('start_time', timeutils.utcnow())
    action = models.InstanceAction(**values)
    context.session.add(action)
    context.session.flush()
    return action.to_dict()


@engine.writer
def action_finish(context: Any, instance_uuid: str, request_id: str,
                  message: str | None = None) -> dict[str, Any]:
    action = _action(context, instance_uuid, request_id)
    action.finish_time = timeutils.utcnow()
    if message is not None:
        action.message = message
    context.session.flush()
    return action.to_dict()


@engine.reader
def action_get_by_request_id(context: Any, instance_uuid: str,
                             request_id: str) -> dict[str, Any]:
    return _action(context, instance_uuid, request_id).to_dict()


@engine.reader
def actions_get(context: Any, instance_uuid: str, limit: int | None = None,
                marker: str | None = None,
                changes_since: Any = None,
                changes_before: Any = None) -> list[dict[str, Any]]:
    """An instance's actions, newest first; ``marker`` is a request id.

    Actions of deleted instances are listed too: they are the record of
    what happened to it.
    """
    table = models.InstanceAction
    stmt = sa.select(table).where(table.instance_uuid == instance_uuid,
                                  table.deleted == 0)
    if changes_since is not None:
        stmt = stmt.where(table.updated_at >= changes_since)
    if changes_before is not None:
        stmt = stmt.where(table.updated_at <= changes_before)
    marker_row = None
    if marker is not None:
        marker_row = context.session.scalars(
            sa.select(table).where(table.instance_uuid == instance_uuid,
                                   table.request_id == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    stmt = utils.paginate(stmt, table, limit, ['created_at', 'id'],
                          ['desc', 'desc'], marker_row)
    return utils.rows_to_dicts(context.session.scalars(stmt).all())


@engine.writer
def action_event_start(context: Any, instance_uuid: str, request_id: str,
                       event: str, host: str | None = None
                       ) -> dict[str, Any]:
    action = _action(context, instance_uuid, request_id)
    row = models.InstanceActionEvent(
        action_id=action.id, event=event, host=host,
        start_time=timeutils.utcnow())
    context.session.add(row)
    # Touch the action so that changes-since listings see the new event.
    action.updated_at = timeutils.utcnow()
    context.session.flush()
    return row.to_dict()


@engine.writer
def action_event_finish(context: Any, instance_uuid: str, request_id: str,
                        event: str, result: str,
                        traceback: str | None = None,
                        details: str | None = None) -> dict[str, Any]:
    """Finish the newest unfinished ``event`` of the action.

    A failed event (``result == 'Error'``) marks the whole action with
    the message 'Error', as the API reports it.
    """
    action = _action(context, instance_uuid, request_id)
    table = models.InstanceActionEvent
    row = context.session.scalars(
        sa.select(table)
        .where(table.action_id == action.id, table.event == event,
               table.finish_time.is_(None))
        .order_by(table.id.desc())).first()
    if row is None:
        raise exception.NotFound(
            f'No unfinished event {event} for request {request_id} on '
            f'instance {instance_uuid}.')
    row.finish_time = timeutils.utcnow()
    row.result = result
    row.traceback = traceback
    row.details = details
    if result.lower() == 'error':
        action.message = 'Error'
    action.updated_at = timeutils.utcnow()
    context.session.flush()
    return row.to_dict()


@engine.reader
def action_events_get(context: Any, action_id: int
                      ) -> list[dict[str, Any]]:
    table = models.InstanceActionEvent
    return utils.rows_to_dicts(context.session.scalars(
        sa.select(table).where(table.action_id == action_id,
                               table.deleted == 0)
        .order_by(table.created_at.desc(), table.id.desc())).all())
