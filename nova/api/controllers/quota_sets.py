"""os-quota-sets: show (with usage in /detail), defaults, update, reset.

The keys of a quota set depend on the version: the network quotas
(always -1 here: there is no nova-network to enforce them) are gone from
2.36, the injected-file quotas from 2.57.
"""

from __future__ import annotations

from typing import Any

from nova import policy
from nova import quota
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import parameter_types
from nova.api.schemas import quota_sets as schemas

POLICY = 'os_compute_api:os-quota-sets:%s'


def version_keys(req: wsgi.Request) -> tuple[str, ...]:
    return schemas.keys_for(
        network=not req.is_at_least(mv.PROXY_APIS_REMOVED),
        files=not req.is_at_least(mv.REBUILD_USER_DATA))


def limit_view(keys: tuple[str, ...],
               limits: dict[str, int]) -> dict[str, int]:
    # Network quotas are not enforced by anything: always unlimited.
    return {key: limits.get(key, quota.UNLIMITED) for key in keys}


class QuotaSetsController:

    @validation.query_schema(schemas.user_query)
    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        self._authorize(req, 'show', id)
        limits = quota.get_limits(req.context, id, req.GET.get('user_id'))
        return {'quota_set': {'id': id,
                              **limit_view(version_keys(req), limits)}}

    @validation.query_schema(schemas.user_query)
    def detail(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        self._authorize(req, 'detail', id)
        user_id = req.GET.get('user_id')
        limits = quota.get_limits(req.context, id, user_id)
        usages = quota.get_usages(req.context, id, user_id)
        body: dict[str, Any] = {'id': id}
        for key in version_keys(req):
            usage = usages.get(key, {'in_use': 0, 'reserved': 0})
            body[key] = {'limit': limits.get(key, quota.UNLIMITED),
                         'in_use': usage['in_use'],
                         'reserved': usage['reserved']}
        return {'quota_set': body}

    def defaults(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        self._authorize(req, 'defaults', id)
        limits = quota.get_defaults(req.context)
        return {'quota_set': {'id': id,
                              **limit_view(version_keys(req), limits)}}

    @validation.query_schema(schemas.user_query)
    @validation.schema(schemas.update, max_version='2.35')
    @validation.schema(schemas.update_v236, mv.PROXY_APIS_REMOVED, '2.56')
    @validation.schema(schemas.update_v257, mv.REBUILD_USER_DATA)
    def update(self, req: wsgi.Request, id: str,
               body: Any) -> dict[str, Any]:
        self._authorize(req, 'update', id)
        user_id = req.GET.get('user_id')
        values = dict(body['quota_set'])
        force = parameter_types.to_bool(values.pop('force', False))
        limits = {key: int(value) for key, value in values.items()
                  if key in quota.RESOURCES}
        quota.update_limits(req.context, id, limits, user_id=user_id,
                            force=force)
        return {'quota_set': limit_view(
            version_keys(req), quota.get_limits(req.context, id, user_id))}

    @validation.query_schema(schemas.user_query)
    @wsgi.response(202)
    def delete(self, req: wsgi.Request, id: str) -> None:
        self._authorize(req, 'delete', id)
        quota.delete_limits(req.context, id, req.GET.get('user_id'))

    @staticmethod
    def _authorize(req: wsgi.Request, rule: str, project_id: str) -> None:
        policy.authorize(req.context, POLICY % rule,
                         target={'project_id': project_id})
