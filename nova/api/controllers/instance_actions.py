"""os-instance-actions: the audit trail of what happened to a server."""

from __future__ import annotations

from typing import Any

from nova import policy
from nova.api import changes
from nova.api import formats
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import instance_actions as schemas
from nova.api.views import servers as server_views
from nova.compute import instance_actions as compute_actions

POLICY = 'os_compute_api:os-instance-actions:%s'
_ACTION_FIELDS = ('action', 'instance_uuid', 'message', 'project_id',
                  'request_id', 'user_id')


class InstanceActionsController:

    @validation.query_schema(schemas.list_query_v258,
                             mv.INSTANCE_ACTION_PAGING, '2.65')
    @validation.query_schema(schemas.list_query_v266, mv.CHANGES_BEFORE)
    def index(self, req: wsgi.Request, server_id: str) -> dict[str, Any]:
        context = req.context
        instance = self._instance(req, server_id)
        policy.authorize(context, POLICY % 'list',
                         target={'project_id': instance['project_id']})
        if not req.is_at_least(mv.INSTANCE_ACTION_PAGING):
            actions = compute_actions.list_actions(context, server_id)
            return {'instanceActions': [self._view(req, a)
                                        for a in actions]}
        limit = links.limit_from(req)
        since, before = changes.window(req)
        actions = compute_actions.list_actions(
            context, server_id, limit=limit, marker=req.GET.get('marker'),
            changes_since=since, changes_before=before)
        result: dict[str, Any] = {
            'instanceActions': [self._view(req, a) for a in actions]}
        next_link = links.next_link(
            req, f'servers/{server_id}/os-instance-actions', actions,
            limit, marker_key='request_id')
        if next_link:
            result['links'] = next_link
        return result

    def show(self, req: wsgi.Request, server_id: str,
             id: str) -> dict[str, Any]:
        context = req.context
        instance = self._instance(req, server_id)
        target = {'project_id': instance['project_id']}
        policy.authorize(context, POLICY % 'show', target=target)
        action = compute_actions.get_action(context, server_id, id)
        view = self._view(req, action)
        admin_events = policy.authorize(context, POLICY % 'events',
                                        target=target, fatal=False)
        # Before 2.51 events are for admins only; from 2.51 everyone sees
        # them, but tracebacks stay with admins.
        details = req.is_at_least(mv.ACTION_EVENT_DETAILS) and \
            policy.authorize(context, POLICY % 'events:details',
                             target=target, fatal=False)
        if admin_events or req.is_at_least(mv.INSTANCE_ACTION_EVENTS):
            view['events'] = [
                self._event(req, instance, e, admin_events, details)
                for e in action['events']]
        return {'instanceAction': view}

    @staticmethod
    def _instance(req: wsgi.Request, server_id: str) -> dict[str, Any]:
        # From 2.21 the actions of deleted servers stay readable.
        read_deleted = ('yes' if req.is_at_least(mv.DELETED_INSTANCE_ACTIONS)
                        else 'no')
        return compute_actions.get_instance(req.context, server_id,
                                            read_deleted=read_deleted)

    @staticmethod
    def _view(req: wsgi.Request, action: dict[str, Any]) -> dict[str, Any]:
        view = {field: action.get(field) for field in _ACTION_FIELDS}
        view['start_time'] = formats.isotime_us(action['start_time'])
        if req.is_at_least(mv.INSTANCE_ACTION_PAGING):
            view['updated_at'] = formats.isotime_us(action['updated_at'])
        return view

    @staticmethod
    def _event(req: wsgi.Request, instance: dict[str, Any],
               event: dict[str, Any], admin: bool,
               details: bool) -> dict[str, Any]:
        view = {'event': event['event'],
                'finish_time': formats.isotime_us(event['finish_time']),
                'result': event['result'],
                'start_time': formats.isotime_us(event['start_time'])}
        if admin:
            view['traceback'] = event['traceback']
        if req.is_at_least(mv.ACTION_EVENT_HOST):
            # Everyone may tell hosts apart; only admins learn names.
            view['hostId'] = server_views.host_id(
                {'project_id': instance['project_id'],
                 'host': event.get('host')})
            if admin:
                view['host'] = event.get('host')
        if details:
            view['details'] = compute_actions.event_details(event)
        return view

