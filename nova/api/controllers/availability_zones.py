"""os-availability-zone: the zones users may pick, and (admins) what
runs in each.

A zone is available when at least one enabled compute service in it is
up; zones whose computes are all disabled or down are listed as not
available. The internal zone (conductor, scheduler...) is shown only in
the admin detail view.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from nova import policy
from nova.api import formats
from nova.api import wsgi
from nova.compute import services as compute_services

CONF = cfg.CONF
POLICY = 'os_compute_api:os-availability-zone:%s'
_COMPUTE = 'nova-compute'
# API services never pick a zone; upstream leaves them out too.
_API_BINARIES = ('nova-osapi_compute', 'nova-metadata', 'nova-api')


def _zone_states(services: list[dict[str, Any]]) -> dict[str, bool]:
    """zone -> available, for the zones of compute services."""
    states: dict[str, bool] = {}
    for service in services:
        if service['binary'] != _COMPUTE:
            continue
        usable = service['is_up'] and not service['disabled']
        states[service['zone']] = states.get(service['zone'],
                                             False) or usable
    return states


def _sorted(states: dict[str, bool]) -> list[tuple[str, bool]]:
    # Available zones first, each group by name, as clients expect a
    # stable order.
    return sorted(states.items(), key=lambda item: (not item[1], item[0]))


class AvailabilityZoneController:

    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'list', target={})
        services = compute_services.list_services(context.elevated())
        return {'availabilityZoneInfo': [
            {'zoneName': zone, 'zoneState': {'available': available},
             'hosts': None}
            for zone, available in _sorted(_zone_states(services))]}

    def detail(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'detail', target={})
        services = [s for s in compute_services.list_services(
            context.elevated()) if s['binary'] not in _API_BINARIES]
        states = _zone_states(services)
        internal = CONF.internal_service_availability_zone
        if any(s['zone'] == internal and not s['disabled']
               for s in services):
            states[internal] = True
        hosts: dict[str, dict[str, dict[str, Any]]] = {}
        for service in services:
            if service['disabled']:
                continue
            zone_hosts = hosts.setdefault(service['zone'], {})
            zone_hosts.setdefault(service['host'], {})[service['binary']] = {
                'available': bool(service['is_up']),
                'active': not service['disabled'],
                'updated_at': formats.isotime_us(
                    service.get('last_seen_up') or
                    service.get('updated_at')),
            }
        ordered = sorted(states.items(),
                         key=lambda item: (item[0] != internal,
                                           not item[1], item[0]))
        return {'availabilityZoneInfo': [
            {'zoneName': zone, 'zoneState': {'available': available},
             'hosts': hosts.get(zone)}
            for zone, available in ordered]}
