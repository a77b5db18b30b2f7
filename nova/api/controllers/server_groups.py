"""os-server-groups: placement policies over sets of servers."""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from nova import exception
from nova import policy
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import server_groups as schemas
from nova.compute import server_groups as compute_groups
from nova.i18n import _

CONF = cfg.CONF
POLICY = 'os_compute_api:os-server-groups:%s'


class ServerGroupController:

    @validation.query_schema(schemas.index_query)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'index')
        # A non-admin asking for all projects silently gets their own.
        all_projects = 'all_projects' in req.GET and policy.authorize(
            context, POLICY % 'index:all_projects', fatal=False)
        offset = int(req.GET.get('offset') or 0)
        # limit=0 counts as "not given": the configured maximum applies.
        limit = links.limit_from(req) or CONF.api.max_limit
        groups = compute_groups.list_groups(
            context, all_projects=all_projects, limit=limit, offset=offset)
        return {'server_groups': [self._view(req, g) for g in groups]}

    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        context = req.context
        group = compute_groups.get_group(context, id)
        policy.authorize(context, POLICY % 'show',
                         target={'project_id': group['project_id']})
        return {'server_group': self._view(req, group)}

    @validation.schema(schemas.create, max_version='2.14')
    @validation.schema(schemas.create_v215, mv.SOFT_AFFINITY, '2.63')
    @validation.schema(schemas.create_v264, mv.SERVER_GROUP_POLICY)
    def create(self, req: wsgi.Request, body: Any) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'create')
        values = body['server_group']
        group_policy = values.get('policy') or values['policies'][0]
        rules = values.get('rules') or {}
        if rules and group_policy != 'anti-affinity':
            raise exception.Invalid(reason=_(
                'Only the anti-affinity policy supports rules.'))
        rules = {key: int(value) for key, value in rules.items()}
        if any(value < 1 for value in rules.values()):
            raise exception.Invalid(reason=_(
                'max_server_per_host must be an integer of at least 1.'))
        group = compute_groups.create_group(context, values['name'],
                                            group_policy, rules)
        return {'server_group': self._view(req, group)}

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, id: str) -> None:
        context = req.context
        group = compute_groups.get_group(context, id)
        policy.authorize(context, POLICY % 'delete',
                         target={'project_id': group['project_id']})
        compute_groups.delete_group(context, id)

    @staticmethod
    def _view(req: wsgi.Request, group: dict[str, Any]) -> dict[str, Any]:
        view: dict[str, Any] = {
            'id': group['uuid'],
            'name': group['name'],
            'members': list(group['members']),
        }
        if req.is_at_least(mv.SERVER_GROUP_POLICY):
            view['policy'] = group['policy']
            view['rules'] = dict(group.get('rules') or {})
        else:
            view['policies'] = [group['policy']]
            view['metadata'] = {}
        if req.is_at_least(mv.SERVER_GROUP_OWNER):
            view['project_id'] = group['project_id']
            view['user_id'] = group['user_id']
        return view
