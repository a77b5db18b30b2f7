"""os-services: list, enable/disable, force down and delete services."""

from __future__ import annotations

from typing import Any

from oslo_utils import uuidutils

from nova import exception
from nova import policy
from nova.api import formats
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import parameter_types
from nova.api.schemas import services as schemas
from nova.compute import services as compute_services
from nova.i18n import _

POLICY = 'os_compute_api:os-services:%s'

# Action URLs of the API before 2.53: name -> (schema, minimum version).
_LEGACY_ACTIONS = {
    'enable': (schemas.enable_disable, None),
    'disable': (schemas.enable_disable, None),
    'disable-log-reason': (schemas.disable_log_reason, None),
    'force-down': (schemas.force_down, mv.SERVICE_FORCED_DOWN),
}


class ServiceController:

    @validation.query_schema(schemas.index_query)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'list', target={})
        services = compute_services.list_services(
            context, host=req.GET.get('host'),
            binary=req.GET.get('binary'))
        return {'services': [self._view(req, s) for s in services]}

    def update(self, req: wsgi.Request, id: str,
               body: Any) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'update', target={})
        if req.is_at_least(mv.SERVICE_UUIDS):
            return self._update_by_uuid(req, id, body)
        schema, min_version = _LEGACY_ACTIONS.get(id, (None, None))
        if schema is None or (min_version and
                              not req.is_at_least(min_version)):
            raise exception.NotFound(
                message=_('Unknown action %s') % id)
        validation.check(schema, body, req)
        service = compute_services.find_service(context, body['host'],
                                                body['binary'])
        if id == 'force-down':
            forced = parameter_types.to_bool(body['forced_down'])
            compute_services.update_service(context, service,
                                            {'forced_down': forced})
            return {'service': {'host': body['host'],
                                'binary': body['binary'],
                                'forced_down': forced}}
        disabled = id != 'enable'
        values = {'disabled': disabled,
                  'disabled_reason': body.get('disabled_reason')}
        compute_services.update_service(context, service, values)
        view = {'host': body['host'], 'binary': body['binary'],
                'status': 'disabled' if disabled else 'enabled'}
        if id == 'disable-log-reason':
            view['disabled_reason'] = body['disabled_reason']
        return {'service': view}

    def _update_by_uuid(self, req: wsgi.Request, service_id: str,
                        body: Any) -> dict[str, Any]:
        if not uuidutils.is_uuid_like(service_id):
            if service_id in _LEGACY_ACTIONS:
                raise exception.NotFound(
                    message=_('Unknown action %s') % service_id)
            raise exception.Invalid(
                reason=_('Invalid uuid %s') % service_id)
        validation.check(schemas.update_v253, body, req)
        values: dict[str, Any] = {}
        status = body.get('status')
        if 'disabled_reason' in body and status != 'disabled':
            raise exception.Invalid(reason=_(
                "Specifying 'disabled_reason' with status 'enabled' or "
                "without a status is invalid."))
        if status is not None:
            values['disabled'] = status == 'disabled'
            values['disabled_reason'] = (body.get('disabled_reason')
                                         if status == 'disabled' else None)
        if 'forced_down' in body:
            values['forced_down'] = parameter_types.to_bool(
                body['forced_down'])
        service = compute_services.get_service(req.context, service_id)
        if service['binary'] != 'nova-compute' and status is not None:
            raise exception.Invalid(reason=_(
                'Updating a %(binary)s service is not supported. Only '
                'nova-compute services can be updated.')
                % {'binary': service['binary']})
        updated = compute_services.update_service(req.context, service,
                                                  values)
        return {'service': self._view(req, updated)}

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, id: str) -> None:
        context = req.context
        policy.authorize(context, POLICY % 'delete', target={})
        if req.is_at_least(mv.SERVICE_UUIDS):
            if not uuidutils.is_uuid_like(id):
                raise exception.Invalid(reason=_('Invalid uuid %s') % id)
        elif not id.isdigit():
            raise exception.Invalid(
                reason=_('Service id %s must be an integer') % id)
        compute_services.delete_service(context, id)

    @staticmethod
    def _view(req: wsgi.Request, service: dict[str, Any]) -> dict[str, Any]:
        view = {
            'id': (service['uuid'] if req.is_at_least(mv.SERVICE_UUIDS)
                   else service['id']),
            'binary': service['binary'],
            'disabled_reason': service.get('disabled_reason'),
            'host': service['host'],
            'state': 'up' if service['is_up'] else 'down',
            'status': 'disabled' if service['disabled'] else 'enabled',
            'updated_at': formats.isotime_us(
                service.get('last_seen_up') or service.get('updated_at')),
            'zone': service['zone'],
        }
        if req.is_at_least(mv.SERVICE_FORCED_DOWN):
            view['forced_down'] = bool(service.get('forced_down'))
        return view
