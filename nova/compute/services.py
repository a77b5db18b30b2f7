"""API-side operations on service records (os-services)."""

from __future__ import annotations

from typing import Any

from oslo_utils import uuidutils

from nova import context as nova_context
from nova import exception
from nova import servicegroup
from nova.compute import availability_zones
from nova.db.api import instances as instances_db
from nova.db.api import services as services_db
from nova.i18n import _


def list_services(context: nova_context.RequestContext,
                  host: str | None = None,
                  binary: str | None = None) -> list[dict[str, Any]]:
    """Services with their zone and liveness folded in."""
    services = services_db.service_get_all(context, host=host,
                                           binary=binary)
    zones = availability_zones.host_zones(context)
    return [_decorate(service, zones) for service in services]


def get_service(context: nova_context.RequestContext,
                service_id: str) -> dict[str, Any]:
    """By uuid (2.53+) or integer id; anything else is not found."""
    if uuidutils.is_uuid_like(service_id):
        service = services_db.service_get_by_uuid(context, service_id)
    elif str(service_id).isdigit():
        service = services_db.service_get(context, int(service_id))
    else:
        raise exception.ServiceNotFound(service_id=service_id)
    return _decorate(service, availability_zones.host_zones(context))


def find_service(context: nova_context.RequestContext, host: str,
                 binary: str) -> dict[str, Any]:
    try:
        service = services_db.service_get_by_host_and_binary(
            context, host, binary)
    except exception.ServiceNotFound:
        raise exception.HostBinaryNotFound(host=host,
                                           binary=binary) from None
    return _decorate(service, availability_zones.host_zones(context))


def update_service(context: nova_context.RequestContext,
                   service: dict[str, Any],
                   values: dict[str, Any]) -> dict[str, Any]:
    updated = services_db.service_update(context, service['id'], values)
    return _decorate(updated, availability_zones.host_zones(context))


def delete_service(context: nova_context.RequestContext,
                   service_id: str) -> None:
    """Delete a service record; a compute host must be empty first."""
    service = get_service(context, service_id)
    if service['binary'] == 'nova-compute':
        hosted = instances_db.instance_get_all_by_host(
            context.elevated(), service['host'])
        if hosted:
            raise exception.Conflict(reason=_(
                'Unable to delete compute service that is hosting '
                'instances. Migrate or delete the instances first.'))
    services_db.service_destroy(context, service['id'])


def _decorate(service: dict[str, Any],
              zones: dict[str, str]) -> dict[str, Any]:
    service = dict(service)
    service['zone'] = availability_zones.service_zone(service, zones)
    service['is_up'] = servicegroup.is_up(service)
    return service
