"""Access lists of private flavors: list, addTenantAccess,
removeTenantAccess (POST /flavors/{id}/action)."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import flavor_access as schemas
from nova.compute import flavors as compute_flavors
from nova.i18n import _

POLICY = 'os_compute_api:os-flavor-access'


def _view(flavorid: str, projects: list[str]) -> dict[str, Any]:
    return {'flavor_access': [{'flavor_id': flavorid, 'tenant_id': project}
                              for project in projects]}


class FlavorAccessController:

    def index(self, req: wsgi.Request, flavor_id: str) -> dict[str, Any]:
        policy.authorize(req.context, POLICY, target={})
        return _view(flavor_id,
                     compute_flavors.list_access(req.context, flavor_id))

    def action(self, req: wsgi.Request, id: str,
               body: Any) -> dict[str, Any]:
        context = req.context
        if isinstance(body, dict) and 'addTenantAccess' in body:
            policy.authorize(context, POLICY + ':add_tenant_access',
                             target={})
            validation.check(schemas.add_tenant_access, body, req)
            projects = compute_flavors.add_access(
                context, id, body['addTenantAccess']['tenant'],
                refuse_public=req.is_at_least(
                    mv.FLAVOR_ACCESS_PUBLIC_CONFLICT))
        elif isinstance(body, dict) and 'removeTenantAccess' in body:
            policy.authorize(context, POLICY + ':remove_tenant_access',
                             target={})
            validation.check(schemas.remove_tenant_access, body, req)
            projects = compute_flavors.remove_access(
                context, id, body['removeTenantAccess']['tenant'])
        else:
            raise exception.Invalid(reason=_(
                'There is no such action: %s')
                % (', '.join(body) if isinstance(body, dict) else body))
        return _view(id, projects)
