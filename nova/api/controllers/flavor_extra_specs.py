"""Flavor extra specs: /flavors/{flavor_id}/os-extra_specs[/{id}]."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import extra_spec_rules
from nova.api.schemas import flavor_extra_specs as schemas
from nova.compute import flavors as compute_flavors
from nova.i18n import _

POLICY = 'os_compute_api:os-flavor-extra-specs:%s'


def _as_strings(specs: dict[str, Any]) -> dict[str, str]:
    # Numbers and booleans are stored the way str() writes them.
    return {key: value if isinstance(value, str) else str(value)
            for key, value in specs.items()}


def _validate(req: wsgi.Request, specs: dict[str, str]) -> None:
    # 2.86: keys in namespaces we know are checked; before, anything goes.
    if req.is_at_least(mv.EXTRA_SPEC_VALIDATION):
        for key, value in specs.items():
            extra_spec_rules.validate(key, value)


class FlavorExtraSpecsController:

    def index(self, req: wsgi.Request, flavor_id: str) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'index',
                         target={'project_id': context.project_id})
        return {'extra_specs': compute_flavors.get_extra_specs(context,
                                                               flavor_id)}

    def show(self, req: wsgi.Request, flavor_id: str,
             id: str) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'show',
                         target={'project_id': context.project_id})
        return {id: compute_flavors.get_extra_spec(context, flavor_id, id)}

    @validation.schema(schemas.create)
    def create(self, req: wsgi.Request, flavor_id: str,
               body: Any) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'create', target={})
        specs = _as_strings(body['extra_specs'])
        _validate(req, specs)
        compute_flavors.update_extra_specs(req.context, flavor_id, specs)
        return {'extra_specs': specs}

    @validation.schema(schemas.update)
    def update(self, req: wsgi.Request, flavor_id: str, id: str,
               body: Any) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'update', target={})
        if id not in body:
            raise exception.Invalid(
                reason=_('Request body and URI mismatch'))
        specs = _as_strings(body)
        _validate(req, specs)
        compute_flavors.update_extra_specs(req.context, flavor_id, specs)
        return specs

    def delete(self, req: wsgi.Request, flavor_id: str, id: str) -> None:
        policy.authorize(req.context, POLICY % 'delete', target={})
        compute_flavors.delete_extra_spec(req.context, flavor_id, id)
