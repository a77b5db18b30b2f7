"""API-side operations on host aggregates (os-aggregates).

The ``availability_zone`` metadata key is what turns an aggregate into an
availability zone, so every change to it is checked here: a host may be
in one zone only, and the zone of a host that runs instances must not
change under them (their recorded zone would become a lie).
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from nova import context as nova_context
from nova import exception
from nova.compute import availability_zones
from nova.db.api import aggregates as aggregates_db
from nova.db.api import instances as instances_db
from nova.db.api import services as services_db
from nova.i18n import _

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
AZ_KEY = availability_zones.AZ_KEY


def list_aggregates(context: nova_context.RequestContext
                    ) -> list[dict[str, Any]]:
    return aggregates_db.aggregate_get_all(context)


def get_aggregate(context: nova_context.RequestContext,
                  aggregate_id: int) -> dict[str, Any]:
    return aggregates_db.aggregate_get(context, aggregate_id)


def create_aggregate(context: nova_context.RequestContext, name: str,
                     zone: str | None = None) -> dict[str, Any]:
    """Create an aggregate, in zone ``zone`` when given."""
    if zone:
        _check_zone_name(zone)
    metadata = {AZ_KEY: zone} if zone else None
    return aggregates_db.aggregate_create(context, {'name': name},
                                          metadata=metadata)


def update_aggregate(context: nova_context.RequestContext,
                     aggregate_id: int,
                     values: dict[str, Any]) -> dict[str, Any]:
    """Rename and/or move to another zone (``availability_zone``)."""
    aggregate = get_aggregate(context, aggregate_id)
    values = dict(values)
    if AZ_KEY in values:
        zone = values.pop(AZ_KEY)
        _check_zone_change(context, aggregate, zone, action='update')
        values['metadata'] = {AZ_KEY: zone}
    if not values:
        return aggregate
    # A None zone reaches aggregate_metadata_add, which drops the key.
    values['updated_at'] = timeutils.utcnow()
    return aggregates_db.aggregate_update(context, aggregate_id, values)


def set_metadata(context: nova_context.RequestContext, aggregate_id: int,
                 metadata: dict[str, str | None]) -> dict[str, Any]:
    """Merge ``metadata`` in; a None value removes the key."""
    aggregate = get_aggregate(context, aggregate_id)
    if AZ_KEY in metadata:
        _check_zone_change(context, aggregate, metadata[AZ_KEY],
                           action='set_metadata')
    aggregates_db.aggregate_metadata_add(context, aggregate_id, metadata)
    # Metadata rows are children; the API reports the change on the
    # aggregate itself.
    return aggregates_db.aggregate_update(
        context, aggregate_id, {'updated_at': timeutils.utcnow()})


def delete_aggregate(context: nova_context.RequestContext,
                     aggregate_id: int) -> None:
    aggregate = get_aggregate(context, aggregate_id)
    if aggregate['hosts']:
        raise exception.InvalidAggregateAction(
            action='delete', aggregate_id=aggregate_id,
            reason=_('Host aggregate is not empty'))
    aggregates_db.aggregate_delete(context, aggregate_id)


def add_host(context: nova_context.RequestContext, aggregate_id: int,
             host: str) -> dict[str, Any]:
    """Add a compute host; 404 for a host that runs no nova-compute."""
    aggregate = get_aggregate(context, aggregate_id)
    _require_compute_host(context, host)
    if host in aggregate['hosts']:
        raise exception.AggregateHostExists(aggregate_id=aggregate_id,
                                            host=host)
    zone = aggregate['metadata'].get(AZ_KEY)
    if zone:
        current = availability_zones.host_zones(context).get(host)
        if current and current != zone:
            raise exception.AggregateActionConflict(
                action='add_host', aggregate_id=aggregate_id,
                reason=_('One or more hosts already in availability '
                         'zone(s) %s') % [current])
        if current is None:
            _refuse_if_hosting(context, [host], aggregate_id, 'add_host')
    return aggregates_db.aggregate_host_add(context, aggregate_id, host)


def remove_host(context: nova_context.RequestContext, aggregate_id: int,
                host: str) -> dict[str, Any]:
    aggregate = get_aggregate(context, aggregate_id)
    if host not in aggregate['hosts']:
        _require_compute_host(context, host)
        raise exception.AggregateHostNotFound(aggregate_id=aggregate_id,
                                              host=host)
    zone = aggregate['metadata'].get(AZ_KEY)
    if zone and zone != CONF.default_availability_zone:
        # Leaving its only zoned aggregate moves the host back to the
        # default zone.
        others = [a for a in aggregates_db.aggregate_get_by_host(
            context, host, key=AZ_KEY) if a['id'] != aggregate_id]
        if not others:
            _refuse_if_hosting(context, [host], aggregate_id,
                               'remove_host')
    return aggregates_db.aggregate_host_delete(context, aggregate_id, host)


def _require_compute_host(context: nova_context.RequestContext,
                          host: str) -> None:
    try:
        services_db.service_get_by_host_and_binary(context, host,
                                                   'nova-compute')
    except exception.ServiceNotFound:
        raise exception.ComputeHostNotFound(host=host) from None


def _check_zone_name(zone: str) -> None:
    if zone == CONF.internal_service_availability_zone:
        raise exception.Invalid(reason=_(
            'The availability zone %s is reserved for internal services.')
            % zone)


def _check_zone_change(context: nova_context.RequestContext,
                       aggregate: dict[str, Any], zone: str | None,
                       action: str) -> None:
    if zone:
        _check_zone_name(zone)
    if zone == aggregate['metadata'].get(AZ_KEY):
        return
    zones = availability_zones.host_zones(context)
    for host in aggregate['hosts']:
        others = [a for a in aggregates_db.aggregate_get_by_host(
            context, host, key=AZ_KEY) if a['id'] != aggregate['id']]
        if zone and any(a['metadata'][AZ_KEY] != zone for a in others):
            raise exception.InvalidAggregateAction(
                action=action, aggregate_id=aggregate['id'],
                reason=_('One or more hosts already in availability '
                         'zone(s) %s') % [zones.get(host)])
    if aggregate['hosts']:
        try:
            _refuse_if_hosting(context, aggregate['hosts'], aggregate['id'],
                               action)
        except exception.AggregateActionConflict as exc:
            # Same refusal, reported as a bad request by these actions.
            raise exception.InvalidAggregateAction(
                action=action, aggregate_id=aggregate['id'],
                reason=exc.kwargs['reason']) from None


def _refuse_if_hosting(context: nova_context.RequestContext,
                       hosts: list[str], aggregate_id: int,
                       action: str) -> None:
    """The zone of a host with instances must not change under them."""
    for host in hosts:
        if instances_db.instance_get_all_by_host(context.elevated(), host):
            raise exception.AggregateActionConflict(
                action=action, aggregate_id=aggregate_id,
                reason=_('Host %s has instances; changing its availability '
                         'zone is not allowed') % host)


def request_image_cache(context: nova_context.RequestContext,
                        aggregate_id: int, image_ids: list[str]) -> None:
    """2.81: ask the aggregate's hosts to pre-cache images.

    The aggregate must exist (404) and every image must be known to the
    image service (400). None of our drivers has a pre-cache step (the
    fake driver keeps no images; libvirt fetches into its image cache at
    first boot), so, as upstream does for such drivers, the request is
    acknowledged and logged and the images are fetched when first used.
    """
    from nova.image import api as image_api
    aggregate = aggregates_db.aggregate_get(context, aggregate_id)
    images = image_api.API()
    for image_id in image_ids:
        try:
            images.get(context, image_id)
        except exception.ImageNotFound:
            raise exception.Invalid(reason=_(
                'Image %s could not be found.') % image_id) from None
    LOG.info('Image pre-caching of %(images)s on aggregate %(agg)s '
             '(hosts %(hosts)s) acknowledged; the drivers here fetch '
             'images at first boot instead.',
             {'images': image_ids, 'agg': aggregate_id,
              'hosts': list(aggregate['hosts'])})
