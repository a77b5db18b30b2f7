"""os-aggregates: host aggregates and their availability zones."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import formats
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import aggregates as schemas
from nova.compute import aggregates as compute_aggregates
from nova.i18n import _

POLICY = 'os_compute_api:os-aggregates:%s'
AZ_KEY = compute_aggregates.AZ_KEY


def _aggregate_id(value: str) -> int:
    # Aggregates are addressed by integer id at every version (2.41 only
    # adds the uuid to bodies).
    if not value.isdigit():
        raise exception.Invalid(
            reason=_('Invalid aggregate id %s: it must be an integer.')
            % value)
    return int(value)


class AggregateController:

    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'index', target={})
        return {'aggregates': [
            self._view(req, agg)
            for agg in compute_aggregates.list_aggregates(context)]}

    @validation.schema(schemas.create)
    def create(self, req: wsgi.Request, body: Any) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'create', target={})
        values = body['aggregate']
        aggregate = compute_aggregates.create_aggregate(
            context, values['name'], values.get('availability_zone'))
        view = self._view(req, aggregate)
        # Upstream leaves hosts and metadata out of the create response.
        del view['hosts'], view['metadata']
        return {'aggregate': view}

    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'show', target={})
        aggregate = compute_aggregates.get_aggregate(context,
                                                     _aggregate_id(id))
        return {'aggregate': self._view(req, aggregate)}

    @validation.schema(schemas.update)
    def update(self, req: wsgi.Request, id: str,
               body: Any) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'update', target={})
        aggregate = compute_aggregates.update_aggregate(
            context, _aggregate_id(id), body['aggregate'])
        return {'aggregate': self._view(req, aggregate)}

    def delete(self, req: wsgi.Request, id: str) -> None:
        context = req.context
        policy.authorize(context, POLICY % 'delete', target={})
        compute_aggregates.delete_aggregate(context, _aggregate_id(id))

    @validation.schema(schemas.action)
    def action(self, req: wsgi.Request, id: str,
               body: Any) -> dict[str, Any]:
        context = req.context
        (name, args), = body.items()
        policy.authorize(context, POLICY % name, target={})
        aggregate_id = _aggregate_id(id)
        if name == 'add_host':
            aggregate = compute_aggregates.add_host(context, aggregate_id,
                                                    args['host'])
        elif name == 'remove_host':
            aggregate = compute_aggregates.remove_host(
                context, aggregate_id, args['host'])
        else:
            aggregate = compute_aggregates.set_metadata(
                context, aggregate_id, args['metadata'])
        return {'aggregate': self._view(req, aggregate)}

    @wsgi.versions(min_version=mv.AGGREGATE_IMAGE_CACHE)
    @wsgi.response(202)
    @validation.schema(schemas.images)
    def images(self, req: wsgi.Request, id: str, body: Any) -> None:
        context = req.context
        policy.authorize(context, 'compute:aggregates:images', target={})
        image_ids = [image['id'] for image in body['cache']]
        if len(set(image_ids)) != len(image_ids):
            raise exception.Invalid(reason=_('Duplicate images in request'))
        compute_aggregates.request_image_cache(context, _aggregate_id(id),
                                               image_ids)

    @staticmethod
    def _view(req: wsgi.Request, aggregate: dict[str, Any]
              ) -> dict[str, Any]:
        view = {
            'availability_zone': aggregate['metadata'].get(AZ_KEY),
            'created_at': formats.isotime_us(aggregate['created_at']),
            'deleted': False,
            'deleted_at': None,
            'hosts': list(aggregate['hosts']),
            'id': aggregate['id'],
            'metadata': dict(aggregate['metadata']),
            'name': aggregate['name'],
            'updated_at': formats.isotime_us(aggregate['updated_at']),
        }
        if req.is_at_least(mv.AGGREGATE_UUID):
            view['uuid'] = aggregate['uuid']
        return view
