"""Availability zones: where each host lives, from aggregate metadata."""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from nova.db.api import aggregates as aggregates_db

CONF = cfg.CONF
AZ_KEY = 'availability_zone'


def host_zones(context: Any) -> dict[str, str]:
    """host -> zone for every host that is in a zoned aggregate."""
    zones: dict[str, str] = {}
    for aggregate in aggregates_db.aggregate_get_all(context):
        zone = aggregate.get('metadata', {}).get(AZ_KEY)
        if zone:
            for host in aggregate.get('hosts', []):
                zones[host] = zone
    return zones


def service_zone(service: dict[str, Any], zones: dict[str, str]) -> str:
    if service['binary'] != 'nova-compute':
        return CONF.internal_service_availability_zone
    return zones.get(service['host'], CONF.default_availability_zone)


def host_zone(context: Any, host: str) -> str:
    return host_zones(context).get(host, CONF.default_availability_zone)
