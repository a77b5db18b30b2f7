"""os-quota-class-sets: show and update the limits of a quota class.

Only the class ``default`` changes anything (it is the level between the
configuration and the projects' own limits); other names are stored and
shown but apply to no project.
"""

from __future__ import annotations

from typing import Any

from nova import policy
from nova import quota
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.controllers import quota_sets
from nova.api.schemas import quota_classes as schemas

POLICY = 'os_compute_api:os-quota-class-sets:%s'


def _keys(req: wsgi.Request) -> tuple[str, ...]:
    return schemas.keys_for(req.is_at_least(mv.QUOTA_CLASS_SERVER_GROUPS),
                            req.is_at_least(mv.REBUILD_USER_DATA))


class QuotaClassSetsController:

    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'show',
                         target={'quota_class': id})
        limits = quota.get_class_limits(req.context, id)
        return {'quota_class_set': {
            'id': id, **quota_sets.limit_view(_keys(req), limits)}}

    @validation.schema(schemas.update, max_version='2.49')
    @validation.schema(schemas.update_v250, mv.QUOTA_CLASS_SERVER_GROUPS,
                       '2.56')
    @validation.schema(schemas.update_v257, mv.REBUILD_USER_DATA)
    def update(self, req: wsgi.Request, id: str,
               body: Any) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'update',
                         target={'quota_class': id})
        limits = {key: int(value)
                  for key, value in body['quota_class_set'].items()
                  if key in quota.RESOURCES}
        quota.update_class_limits(req.context, id, limits)
        return {'quota_class_set': quota_sets.limit_view(
            _keys(req), quota.get_class_limits(req.context, id))}
