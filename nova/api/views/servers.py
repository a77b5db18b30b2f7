"""How a server looks in API responses, per microversion."""

from __future__ import annotations

import hashlib
from typing import Any

from nova import policy
from nova.api import formats
from nova.api import links
from nova.api import microversion as mv
from nova.compute import server_details
from nova.compute import status as compute_status
from nova.objects import instance as instance_obj

EXT_ATTRS_POLICY = 'os_compute_api:os-extended-server-attributes'
HOST_STATUS_POLICY = 'os_compute_api:servers:show:host_status'
FLAVOR_SPECS_POLICY = 'os_compute_api:os-flavor-extra-specs:index'
# Image fields kept beside the properties in system metadata.
_IMAGE_BASE_KEYS = ('min_ram', 'min_disk', 'disk_format',
                    'container_format')


def basic(req: Any, instance: dict[str, Any]) -> dict[str, Any]:
    return {'id': instance['uuid'], 'name': instance['display_name'],
            'links': links.resource_links(req, 'servers',
                                          instance['uuid'])}


def detail(req: Any, instance: dict[str, Any], extras: dict[str, Any],
           show_extended: bool, host_status: str | None) -> dict[str, Any]:
    """``extras``: 'addresses', 'fault', 'tags' looked up in bulk."""
    server = basic(req, instance)
    server.update({
        'status': compute_status.server_status(instance['vm_state'],
                                               instance['task_state']),
        'tenant_id': instance['project_id'],
        'user_id': instance['user_id'],
        'metadata': instance.get('metadata') or {},
        'hostId': host_id(instance),
        'image': _image(req, instance),
        'flavor': _flavor(req, instance),
        'created': formats.isotime_z(instance['created_at']),
        'updated': formats.isotime_z(instance['updated_at'] or
                                     instance['created_at']),
        'addresses': _addresses(extras.get('addresses') or {}),
        'accessIPv4': instance.get('access_ip_v4') or '',
        'accessIPv6': instance.get('access_ip_v6') or '',
        'key_name': instance.get('key_name'),
        'config_drive': instance.get('config_drive') or '',
        'progress': instance.get('progress') or 0,
        'OS-DCF:diskConfig': 'MANUAL',
        'OS-EXT-AZ:availability_zone':
            instance.get('availability_zone') or '',
        'OS-EXT-STS:power_state': instance.get('power_state') or 0,
        'OS-EXT-STS:task_state': instance['task_state'],
        'OS-EXT-STS:vm_state': instance['vm_state'],
        'OS-SRV-USG:launched_at': formats.isotime_us(
            instance.get('launched_at')),
        'OS-SRV-USG:terminated_at': formats.isotime_us(
            instance.get('terminated_at')),
        'os-extended-volumes:volumes_attached': [],
        'security_groups': [{'name': 'default'}],
    })
    fault = extras.get('fault')
    if fault and instance['vm_state'] in ('error', 'deleted'):
        server['fault'] = _fault(req, fault)
    if show_extended:
        server.update(_extended(req, instance))
    if req.is_at_least(mv.SERVER_LOCKED):
        server['locked'] = bool(instance.get('locked'))
    if req.is_at_least(mv.HOST_STATUS) and host_status is not None:
        server['host_status'] = host_status
    if req.is_at_least(mv.SERVER_DESCRIPTION):
        server['description'] = instance.get('display_description')
    if req.is_at_least(mv.SERVER_TAGS):
        server['tags'] = list(extras.get('tags') or [])
    server.update(_since_2_63(req, instance, extras, show_extended))
    return server


def _since_2_63(req: Any, instance: dict[str, Any], extras: dict[str, Any],
                show_extended: bool) -> dict[str, Any]:
    """Keys later microversions add (see doc/source/microversions.rst).

    ``extras`` may carry 'spec' (the request spec) and, for show and
    update only, 'server_groups' (a list of group uuids).
    """
    view: dict[str, Any] = {}
    system_metadata = instance.get('system_metadata') or {}
    if req.is_at_least(mv.TRUSTED_CERTS):
        certs = (instance.get('extra') or {}).get('trusted_certs')
        view['trusted_image_certificates'] = list(certs) if certs else None
    if req.is_at_least(mv.SERVER_GROUPS_IN_SERVER) and \
            extras.get('server_groups') is not None:
        view['server_groups'] = list(extras['server_groups'])
    if req.is_at_least(mv.LOCK_REASON):
        view['locked_reason'] = system_metadata.get('locked_reason') \
            if instance.get('locked') else None
    if req.is_at_least(mv.SERVER_HOSTNAME) and not show_extended:
        # Everyone sees the hostname from 2.90 (admins saw it already).
        view['OS-EXT-SRV-ATTR:hostname'] = instance.get('hostname')
    spec = extras.get('spec')
    if req.is_at_least(mv.PINNED_AZ):
        view['pinned_availability_zone'] = \
            server_details.pinned_availability_zone(spec)
    if req.is_at_least(mv.SCHEDULER_HINTS_IN_SERVER):
        view['scheduler_hints'] = server_details.scheduler_hints(spec)
    return view


# Keys update and rebuild answered without until 2.75 made their
# responses the full show body.
_NOT_IN_UPDATE_BEFORE_275 = ('config_drive', 'host_status', 'key_name',
                             'os-extended-volumes:volumes_attached',
                             'security_groups')
_PREFIXES_NOT_IN_UPDATE_BEFORE_275 = ('OS-EXT-AZ:', 'OS-EXT-SRV-ATTR:',
                                      'OS-EXT-STS:', 'OS-SRV-USG:')


def as_update_response(req: Any, server: dict[str, Any]) -> dict[str, Any]:
    """The body of update (and rebuild) from a full server body: below
    2.75 without the extended keys and with bare addresses."""
    if req.is_at_least(mv.FULL_UPDATE_RESPONSE):
        return server
    reduced = {key: value for key, value in server.items()
               if key not in _NOT_IN_UPDATE_BEFORE_275 and
               not key.startswith(_PREFIXES_NOT_IN_UPDATE_BEFORE_275)}
    reduced['addresses'] = {
        label: [{'addr': ip['addr'], 'version': ip['version']}
                for ip in ips]
        for label, ips in server.get('addresses', {}).items()}
    return reduced


def image_properties(instance: dict[str, Any]) -> dict[str, str]:
    """Image metadata copied into system metadata at boot (2.98)."""
    properties = {}
    for key, value in (instance.get('system_metadata') or {}).items():
        if key.startswith('image_'):
            name = key[len('image_'):]
            if name not in _IMAGE_BASE_KEYS:
                properties[name] = value
    return properties


def may_show_extended(context: Any, instance: dict[str, Any]) -> bool:
    return policy.authorize(context, EXT_ATTRS_POLICY,
                            {'project_id': instance['project_id']},
                            fatal=False)


def may_show_host_status(context: Any, instance: dict[str, Any]) -> bool:
    return policy.authorize(context, HOST_STATUS_POLICY,
                            {'project_id': instance['project_id']},
                            fatal=False)


def host_id(instance: dict[str, Any]) -> str:
    """Opaque per-project host id, so users can tell co-location apart
    without learning host names."""
    host = instance.get('host')
    if not host:
        return ''
    return hashlib.sha224(
        (instance['project_id'] + host).encode()).hexdigest()


def _image(req: Any, instance: dict[str, Any]) -> Any:
    image_id = instance.get('image_ref')
    if not image_id:
        return ''
    view = {'id': image_id,
            'links': [links.resource_links(req, 'images', image_id)[1]]}
    if req.is_at_least(mv.IMAGE_PROPERTIES):
        view['properties'] = image_properties(instance)
    return view


def _flavor(req: Any, instance: dict[str, Any]) -> dict[str, Any]:
    flavor = (instance.get('extra') or {}).get('flavor') or {}
    if req.is_at_least(mv.FLAVOR_IN_SERVER):
        view = {'vcpus': flavor.get('vcpus', instance['vcpus']),
                'ram': flavor.get('memory_mb', instance['memory_mb']),
                'disk': flavor.get('root_gb', instance['root_gb']),
                'ephemeral': flavor.get('ephemeral_gb',
                                        instance['ephemeral_gb']),
                'swap': flavor.get('swap', instance['swap']) or 0,
                'original_name': flavor.get('name')}
        if policy.authorize(req.context, FLAVOR_SPECS_POLICY,
                            {'project_id': instance['project_id']},
                            fatal=False):
            view['extra_specs'] = dict(flavor.get('extra_specs') or {})
        return view
    flavorid = flavor.get('flavorid') or str(instance['instance_type_id'])
    return {'id': flavorid,
            'links': [links.resource_links(req, 'flavors', flavorid)[1]]}


def _addresses(by_label: dict[str, list[dict[str, Any]]]
               ) -> dict[str, list[dict[str, Any]]]:
    return {label: [{'addr': ip['addr'], 'version': ip['version'],
                     'OS-EXT-IPS-MAC:mac_addr': ip['mac'],
                     'OS-EXT-IPS:type': 'fixed'} for ip in ips]
            for label, ips in by_label.items()}


def _fault(req: Any, fault: dict[str, Any]) -> dict[str, Any]:
    view = {'code': fault['code'], 'message': fault['message'],
            'created': formats.isotime_z(fault['created_at'])}
    # Tracebacks are for admins only (and 500s, where they help).
    if req.context.is_admin and fault.get('details'):
        view['details'] = fault['details']
    return view


def _extended(req: Any, instance: dict[str, Any]) -> dict[str, Any]:
    view = {
        'OS-EXT-SRV-ATTR:host': instance.get('host'),
        'OS-EXT-SRV-ATTR:hypervisor_hostname': instance.get('node'),
        'OS-EXT-SRV-ATTR:instance_name':
            instance_obj.NAME_TEMPLATE % instance['id'],
    }
    if req.is_at_least(mv.EXTENDED_SERVER_ATTRS):
        view.update({
            'OS-EXT-SRV-ATTR:reservation_id': instance.get('reservation_id'),
            'OS-EXT-SRV-ATTR:launch_index': instance.get('launch_index'),
            'OS-EXT-SRV-ATTR:hostname': instance.get('hostname'),
            'OS-EXT-SRV-ATTR:kernel_id': '',
            'OS-EXT-SRV-ATTR:ramdisk_id': '',
            'OS-EXT-SRV-ATTR:root_device_name':
                instance.get('root_device_name'),
            'OS-EXT-SRV-ATTR:user_data': instance.get('user_data'),
        })
    return view
