"""os-server-groups: placement policies over sets of servers."""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from nova import policy
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import server_groups as schemas
from nova.compute import server_groups as compute_groups

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
    @validation.schema(schemas.create_v215, min_version=mv.SOFT_AFFINITY)
    def create(self, req: wsgi.Request, body: Any) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'create')
        values = body['server_group']
        group = compute_groups.create_group(context, values['name'],
                                            values['policies'][0])
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
        view = {
            'id': group['uuid'],
            'name': group['name'],
            'policies': [group['policy']],
            'members': list(group['members']),
            'metadata': {},
        }
        if req.is_at_least(mv.SERVER_GROUP_OWNER):
            view['project_id'] = group['project_id']
            view['user_id'] = group['user_id']
        return view
