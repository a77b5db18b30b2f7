"""Flavors: list, detail, show; create, delete and (2.55) update."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import flavors as schemas
from nova.api.schemas import parameter_types
from nova.compute import flavors as compute_flavors
from nova.i18n import _

POLICY = 'os_compute_api:os-flavor-manage:%s'
SPECS_POLICY = 'os_compute_api:os-flavor-extra-specs:index'


class FlavorController:

    @validation.query_schema(schemas.index_query)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        flavors = self._list(req)
        return self._collection(req, flavors, 'flavors', self._summary)

    @validation.query_schema(schemas.index_query)
    def detail(self, req: wsgi.Request) -> dict[str, Any]:
        flavors = self._list(req)
        return self._collection(req, flavors, 'flavors/detail', view)

    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        flavor = compute_flavors.get_flavor_by_flavor_id(req.context, id)
        return {'flavor': view(req, flavor)}

    @validation.schema(schemas.create, max_version='2.54')
    @validation.schema(schemas.create_v255, min_version='2.55')
    def create(self, req: wsgi.Request, body: Any) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'create', target={})
        values = body['flavor']
        flavorid = values.get('id')
        flavor = compute_flavors.create_flavor(
            req.context, name=values['name'],
            memory_mb=int(values['ram']), vcpus=int(values['vcpus']),
            root_gb=int(values['disk']),
            ephemeral_gb=int(values.get('OS-FLV-EXT-DATA:ephemeral', 0)),
            swap=int(values.get('swap', 0)),
            flavorid=None if flavorid is None else str(flavorid),
            rxtx_factor=float(values.get('rxtx_factor', 1.0)),
            is_public=parameter_types.to_bool(
                values.get('os-flavor-access:is_public', True)),
            description=values.get('description'))
        return {'flavor': view(req, flavor)}

    @wsgi.versions(mv.FLAVOR_DESCRIPTION)
    @validation.schema(schemas.update_v255)
    def update(self, req: wsgi.Request, id: str,
               body: Any) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'update', target={})
        flavor = compute_flavors.update_description(
            req.context, id, body['flavor']['description'])
        return {'flavor': view(req, flavor)}

    @wsgi.response(202)
    def delete(self, req: wsgi.Request, id: str) -> None:
        policy.authorize(req.context, POLICY % 'delete', target={})
        compute_flavors.delete_flavor(req.context, id)

    @staticmethod
    def _list(req: wsgi.Request) -> list[dict[str, Any]]:
        params = req.GET
        limit = links.limit_from(req)
        # Only admins choose; everyone else gets public + shared flavors.
        is_public = (_is_public(params.get('is_public'))
                     if req.context.is_admin else True)
        return compute_flavors.list_flavors(
            req.context, is_public=is_public,
            min_memory_mb=_int_filter(params, 'minRam'),
            min_root_gb=_int_filter(params, 'minDisk'),
            sort_key=params.get('sort_key', 'flavorid'),
            sort_dir=params.get('sort_dir', 'asc'),
            limit=limit, marker=params.get('marker'))

    @staticmethod
    def _collection(req: wsgi.Request, flavors: list[dict[str, Any]],
                    collection: str, build: Any) -> dict[str, Any]:
        result: dict[str, Any] = {
            'flavors': [build(req, flavor) for flavor in flavors]}
        next_links = links.next_link(req, collection, flavors,
                                     links.limit_from(req),
                                     marker_key='flavorid')
        if next_links:
            result['flavors_links'] = next_links
        return result

    @staticmethod
    def _summary(req: wsgi.Request, flavor: dict[str, Any]
                 ) -> dict[str, Any]:
        summary = {'id': flavor['flavorid'], 'name': flavor['name'],
                   'links': links.resource_links(req, 'flavors',
                                                 flavor['flavorid'])}
        if req.is_at_least(mv.FLAVOR_DESCRIPTION):
            summary['description'] = flavor.get('description')
        return summary


def view(req: wsgi.Request, flavor: dict[str, Any]) -> dict[str, Any]:
    """The full flavor body of show, detail, create and update."""
    swap: Any = flavor.get('swap') or 0
    if swap == 0 and not req.is_at_least(mv.FLAVOR_SWAP_INT):
        # No swap was shown as "" until 2.75 made it an integer.
        swap = ''
    body = {
        'id': flavor['flavorid'],
        'name': flavor['name'],
        'ram': flavor['memory_mb'],
        'disk': flavor['root_gb'] or 0,
        'swap': swap,
        'OS-FLV-EXT-DATA:ephemeral': flavor.get('ephemeral_gb') or 0,
        'OS-FLV-DISABLED:disabled': bool(flavor.get('disabled')),
        'vcpus': flavor['vcpus'],
        'os-flavor-access:is_public': bool(flavor.get('is_public', True)),
        'rxtx_factor': float(flavor['rxtx_factor']
                             if flavor.get('rxtx_factor') is not None
                             else 1.0),
        'links': links.resource_links(req, 'flavors', flavor['flavorid']),
    }
    if req.is_at_least(mv.FLAVOR_DESCRIPTION):
        body['description'] = flavor.get('description')
    # 2.61: the extra specs, for callers allowed to list them.
    if req.is_at_least(mv.FLAVOR_EXTRA_SPECS) and policy.authorize(
            req.context, SPECS_POLICY,
            target={'project_id': req.context.project_id}, fatal=False):
        body['extra_specs'] = dict(flavor.get('extra_specs') or {})
    return body


def _is_public(value: str | None) -> bool | None:
    """Admins' is_public filter: absent = true, 'none' = all flavors."""
    if value is None:
        return True
    lowered = value.strip().lower()
    if lowered == 'none':
        return None
    if lowered in ('1', 't', 'true', 'on', 'y', 'yes'):
        return True
    if lowered in ('0', 'f', 'false', 'off', 'n', 'no'):
        return False
    raise exception.Invalid(reason=_('Invalid is_public filter [%s]')
                            % value)


def _int_filter(params: Any, name: str) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise exception.Invalid(
            reason=_('Invalid %(name)s filter [%(value)s]')
            % {'name': name, 'value': value}) from None
