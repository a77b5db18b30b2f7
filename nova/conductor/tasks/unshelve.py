"""Unshelve: put a shelved server back on a host.

A server still SHELVED (never offloaded) starts where it is; an
offloaded one is scheduled afresh (in the zone or on the host the
request names, 2.77/2.91), its node claimed, and spawned there from the
shelved image. No host: the server stays SHELVED_OFFLOADED with a fault.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

from nova import exception
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states as ts
from nova.compute import vm_states as vm
from nova.conductor.tasks import migrate
from nova.conductor.tasks import records
from nova.db.api import allocations as allocations_db
from nova.db.api import instances as instances_db
from nova.db.api import request_specs as request_specs_db
from nova.image import api as image_api
from nova.scheduler import rpcapi as scheduler_rpcapi

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
EVENT = 'conductor_unshelve_instance'


def unshelve_instance(context: Any, instance_uuid: str, zone: str | None,
                      host: str | None, unpin_zone: bool) -> None:
    records.event_start(context, instance_uuid, EVENT, CONF.host)
    instance = instances_db.instance_get_by_uuid(context, instance_uuid)
    image = _shelved_image(context, instance)
    if instance['vm_state'] == vm.SHELVED and instance['host']:
        selection = {'host': instance['host'],
                     'nodename': instance['node']}
    else:
        try:
            selection = _schedule(context, instance, zone, host,
                                  unpin_zone)
            instance = instances_db.instance_update(
                context, instance_uuid,
                {'host': selection['host'], 'node': selection['nodename'],
                 **({'availability_zone': zone} if zone else {})},
                expected_task_state=ts.UNSHELVING)
            if zone or unpin_zone:
                # The zone asked for (or its absence) is the server's pin
                # from now on (2.96 pinned_availability_zone).
                _pin_zone(context, instance_uuid, zone)
        except exception.InstanceNotFound:
            allocations_db.release_resources(context, instance_uuid)
            return
        except Exception as exc:  # noqa: BLE001 - ends in a defined state
            LOG.warning('Unshelve of %s found no host: %s', instance_uuid,
                        exc)
            _fail(context, instance_uuid, exc)
            return
    records.event_finish(context, instance_uuid, EVENT, 'Success', None)
    compute_rpcapi.ComputeAPI().unshelve_instance(
        context, selection['host'], instance, image, selection)


def _pin_zone(context: Any, instance_uuid: str, zone: str | None) -> None:
    spec = request_specs_db.request_spec_get_by_instance_uuid(
        context, instance_uuid)['spec']
    spec['availability_zone'] = zone
    request_specs_db.request_spec_update(context, instance_uuid, spec)


def _shelved_image(context: Any,
                   instance: dict[str, Any]) -> dict[str, Any] | None:
    image_id = (instance.get('system_metadata') or {}).get(
        'shelved_image_id')
    if not image_id:
        return None
    try:
        return image_api.API().get(context, image_id)
    except exception.NotFound:
        LOG.warning('Shelved image %s of %s is gone; spawning from the '
                    'original image', image_id, instance['uuid'])
        return None


def _schedule(context: Any, instance: dict[str, Any], zone: str | None,
              host: str | None, unpin_zone: bool) -> dict[str, Any]:
    spec = migrate.spec_for(context, instance, None, host,
                            allow_same_host=True)
    if zone or unpin_zone:
        spec['availability_zone'] = zone
    return scheduler_rpcapi.SchedulerAPI().select_destinations(
        context, spec, [instance['uuid']])[0][0]


def _fail(context: Any, instance_uuid: str, exc: Exception) -> None:
    try:
        instances_db.instance_update(context, instance_uuid,
                                     {'task_state': None})
    except exception.InstanceNotFound:
        return
    code, message, details = exception.fault_of(exc)
    records.fault_create(context, instance_uuid, code, message, details,
                         CONF.host)
    records.event_finish(context, instance_uuid, EVENT, 'Error', details)
