"""Server create, API side: check the request, take quota, write the
records, hand over to conductor.

Everything the request names (flavor, image, key pair, zone, networks,
group) is resolved and checked before anything is written; the instances,
their request specs and 'create' actions are written in one transaction
after the quota reservation succeeded, and the reservation is given back
if that transaction fails. Multi-create therefore creates all or none.
"""

from __future__ import annotations

import base64
import re
import secrets
import string
from typing import Any

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from nova import exception
from nova.compute import availability_zones
from nova.compute import cleanup
from nova.compute import flavors as compute_flavors
from nova.compute import keypairs as compute_keypairs
from nova.compute import task_states
from nova.compute import vm_states
from nova.conductor import rpcapi as conductor_rpcapi
from nova.db import engine
from nova.db.api import instance_actions as actions_db
from nova.db.api import instances as instances_db
from nova.db.api import quotas as quotas_db
from nova.db.api import request_specs as request_specs_db
from nova.db.api import server_groups as groups_db
from nova.db.api import tags as tags_db
from nova.i18n import _
from nova.image import api as image_api
from nova.network import api as network_api
from nova.virt import power_state

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def create(context: Any, req: dict[str, Any]) -> tuple[list[dict], str]:
    """Create ``req['min_count']..req['max_count']`` instances.

    ``req`` holds the validated API body fields (see the servers
    controller). Returns (instances, reservation_id).
    """
    flavor = _flavor(context, req['flavor_ref'])
    image = _image(context, req['image_ref'], flavor)
    key = _keypair(context, req.get('key_name'))
    zone = _zone(context, req.get('availability_zone'))
    group = _group(context, req.get('scheduler_hints') or {})
    network_api.validate_requested(context, req.get('networks'))
    _check_metadata(context, req.get('metadata') or {})
    count = _reserve(context, flavor, req['min_count'], req['max_count'])
    try:
        instances, reservation_id = _write(context, req, flavor, image,
                                           key, zone, group, count)
    except Exception:
        quotas_db.release(context, context.project_id, context.user_id,
                          _deltas(flavor, count))
        raise
    spec = request_spec(context, instances[0], flavor, image, zone, group,
                        req.get('scheduler_hints') or {}, count,
                        destination=req.get('requested_destination'))
    build_args = {'image': image,
                  'requested_networks': req.get('networks'),
                  'admin_password': req.get('admin_password')}
    conductor_rpcapi.ComputeTaskAPI().schedule_and_build_instances(
        context, [i['uuid'] for i in instances], spec, build_args)
    return instances, reservation_id


def _flavor(context: Any, flavor_ref: str) -> dict[str, Any]:
    flavorid = str(flavor_ref).rstrip('/').rsplit('/', 1)[-1]
    try:
        flavor = compute_flavors.get_flavor_by_flavor_id(context, flavorid)
    except exception.FlavorNotFound:
        raise exception.Invalid(
            reason=_('Flavor %s could not be found.') % flavorid) from None
    if flavor.get('disabled'):
        raise exception.Invalid(reason=_('Flavor is disabled.'))
    return flavor


def _image(context: Any, image_ref: str,
           flavor: dict[str, Any]) -> dict[str, Any]:
    image_id = str(image_ref).rstrip('/').rsplit('/', 1)[-1]
    try:
        image = image_api.API().get(context, image_id)
    except exception.ImageNotFound:
        raise exception.Invalid(reason=_(
            'Can not find requested image %s') % image_id) from None
    if image.get('status') != 'active':
        raise exception.Invalid(reason=_('Image %s is not active.')
                                % image_id)
    if (image.get('min_ram') or 0) > flavor['memory_mb']:
        raise exception.Invalid(reason=_(
            "Flavor's memory is too small for requested image."))
    if flavor['root_gb'] and (image.get('min_disk') or 0) > \
            flavor['root_gb']:
        raise exception.Invalid(reason=_(
            "Flavor's disk is too small for requested image."))
    return image


def _keypair(context: Any, name: str | None) -> dict[str, Any] | None:
    if not name:
        return None
    try:
        return compute_keypairs.get_keypair(context, context.user_id, name)
    except exception.KeypairNotFound:
        raise exception.Invalid(
            reason=_('Invalid key_name provided.')) from None


def _zone(context: Any, zone: str | None) -> str | None:
    zone = zone or CONF.default_schedule_zone
    if not zone:
        return None
    # "zone:host[:node]" forces a host for admins, like upstream.
    name = zone.split(':', 1)[0]
    known = set(availability_zones.host_zones(context).values())
    known.add(CONF.default_availability_zone)
    if name not in known:
        raise exception.Invalid(reason=_(
            'The requested availability zone is not available'))
    return zone


def _group(context: Any, hints: dict[str, Any]) -> dict[str, Any] | None:
    group_uuid = hints.get('group')
    if not group_uuid:
        return None
    try:
        return groups_db.instance_group_get(context, group_uuid)
    except exception.InstanceGroupNotFound:
        raise exception.Invalid(reason=_(
            'Invalid server group %s') % group_uuid) from None


def _check_metadata(context: Any, metadata: dict[str, str]) -> None:
    limit = CONF.quota.metadata_items
    if limit >= 0 and len(metadata) > limit:
        raise exception.MetadataLimitExceeded(allowed=limit)


def _deltas(flavor: dict[str, Any], count: int) -> dict[str, int]:
    return {'instances': count, 'cores': flavor['vcpus'] * count,
            'ram': flavor['memory_mb'] * count}


def _reserve(context: Any, flavor: dict[str, Any], min_count: int,
             max_count: int) -> int:
    """Reserve as many instances as fit, between min and max count."""
    from nova import quota
    error = None
    for count in range(max_count, min_count - 1, -1):
        try:
            quota.reserve(context, context.project_id, context.user_id,
                          _deltas(flavor, count))
            return count
        except exception.OverQuota as exc:
            error = exc
    assert error is not None
    raise error


@engine.writer
def _write(context: Any, req: dict[str, Any], flavor: dict[str, Any],
           image: dict[str, Any], key: dict[str, Any] | None,
           zone: str | None, group: dict[str, Any] | None,
           count: int) -> tuple[list[dict], str]:
    reservation_id = 'r-' + secrets.token_hex(4)
    instances = []
    for index in range(count):
        values = _instance_values(context, req, flavor, image, key, zone,
                                  reservation_id, index, count)
        instance = instances_db.instance_create(context, values)
        actions_db.action_start(context, {
            'action': 'create', 'instance_uuid': instance['uuid'],
            'request_id': context.request_id, 'user_id': context.user_id,
            'project_id': context.project_id})
        for tag in req.get('tags') or []:
            tags_db.instance_tag_add(context, instance['uuid'], tag)
        instances.append(instance)
    if group is not None:
        groups_db.instance_group_members_add(
            context, group['uuid'], [i['uuid'] for i in instances])
    for instance in instances:
        request_specs_db.request_spec_create(
            context, instance['uuid'],
            request_spec(context, instance, flavor, image, zone, group,
                         req.get('scheduler_hints') or {}, 1,
                         destination=req.get('requested_destination')))
    return instances, reservation_id


def _instance_values(context: Any, req: dict[str, Any],
                     flavor: dict[str, Any], image: dict[str, Any],
                     key: dict[str, Any] | None, zone: str | None,
                     reservation_id: str, index: int,
                     count: int) -> dict[str, Any]:
    name = req['name']
    if count > 1:
        name = f'{name}-{index + 1}'
    user_data = req.get('user_data')
    return {
        'uuid': uuidutils.generate_uuid(),
        'user_id': context.user_id, 'project_id': context.project_id,
        'display_name': name,
        'display_description': req.get('description'),
        'hostname': req.get('hostname') or hostname_from(name),
        'image_ref': image['id'], 'instance_type_id': flavor['id'],
        'vcpus': flavor['vcpus'], 'memory_mb': flavor['memory_mb'],
        'root_gb': flavor['root_gb'], 'ephemeral_gb': flavor['ephemeral_gb'],
        'swap': flavor['swap'],
        'vm_state': vm_states.BUILDING,
        'task_state': task_states.SCHEDULING,
        'power_state': power_state.NOSTATE,
        'key_name': key['name'] if key else None,
        'key_data': key['public_key'] if key else None,
        'user_data': user_data,
        'reservation_id': reservation_id, 'launch_index': index,
        'availability_zone': (zone or '').split(':', 1)[0] or None,
        'config_drive': '',
        'access_ip_v4': req.get('access_ip_v4'),
        'access_ip_v6': req.get('access_ip_v6'),
        'locked': False, 'progress': 0,
        'metadata': req.get('metadata') or {},
        'system_metadata': {f'image_{k}': str(v) for k, v in
                            (image.get('properties') or {}).items()},
        'extra': {'flavor': flavor_snapshot(flavor),
                  'trusted_certs': req.get('trusted_certs')},
    }


def flavor_snapshot(flavor: dict[str, Any]) -> dict[str, Any]:
    """The flavor as it was at boot, kept with the instance."""
    keys = ('id', 'flavorid', 'name', 'vcpus', 'memory_mb', 'root_gb',
            'ephemeral_gb', 'swap', 'rxtx_factor', 'vcpu_weight',
            'is_public', 'description')
    snapshot = {k: flavor.get(k) for k in keys}
    snapshot['extra_specs'] = dict(flavor.get('extra_specs') or {})
    return snapshot


def request_spec(context: Any, instance: dict[str, Any],
                 flavor: dict[str, Any], image: dict[str, Any],
                 zone: str | None, group: dict[str, Any] | None,
                 hints: dict[str, Any], count: int,
                 destination: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """What the scheduler needs (see nova/scheduler/__init__.py)."""
    force_hosts, force_nodes = [], []
    zone_name = zone
    if zone and ':' in zone and context.is_admin:
        parts = zone.split(':')
        zone_name = parts[0] or None
        force_hosts = [parts[1]] if len(parts) > 1 and parts[1] else []
        force_nodes = [parts[2]] if len(parts) > 2 and parts[2] else []
    return {
        'instance_uuid': instance['uuid'], 'num_instances': count,
        'project_id': context.project_id, 'user_id': context.user_id,
        'flavor': flavor_snapshot(flavor),
        'image': {k: image.get(k) for k in
                  ('id', 'name', 'properties', 'min_ram', 'min_disk',
                   'disk_format', 'container_format', 'size')},
        'availability_zone': zone_name,
        'scheduler_hints': {k: (v if isinstance(v, list) else [v])
                            if k in ('same_host', 'different_host') else v
                            for k, v in hints.items()},
        'instance_group': ({'uuid': group['uuid'],
                            'policy': group.get('policy'),
                            'rules': group.get('rules') or {},
                            'members': group.get('members', []),
                            'hosts': []} if group else None),
        'ignore_hosts': [], 'force_hosts': force_hosts,
        'force_nodes': force_nodes, 'requested_destination': destination,
        'retry': {'num_attempts': 1, 'hosts': []},
    }


def hostname_from(name: str) -> str:
    """A DNS label from the display name (letters, digits, hyphens)."""
    label = re.sub(r'[^a-z0-9-]+', '-', name.lower()).strip('-.')
    return (label or 'server')[:63].rstrip('-') or 'server'


def generate_password(length: int = 12) -> str:
    alphabet = string.ascii_letters + string.digits
    return ''.join(secrets.choice(alphabet) for _ in range(length))


def decode_user_data(data: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except ValueError:
        raise exception.Invalid(
            reason=_('User data needs to be valid base 64.')) from None


def local_delete(context: Any, instance_uuid: str) -> bool:
    return cleanup.destroy_instance(context, instance_uuid)


# Rebuild validates its image and key pair the way create does.
image_for = _image
keypair_for = _keypair
