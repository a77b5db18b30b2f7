"""The built-in address manager: fixed IPs from configured networks.

Runs where the database is (API and conductor); nova-compute reaches it
through conductor. ``requested`` networks follow the Compute API:
``'auto'`` (the default network, if any), ``'none'`` (no address) or a
list of ``{'uuid': ..., 'fixed_ip': ...}``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from nova import exception
from nova.db.api import networks as networks_db
from nova.i18n import _

AUTO = 'auto'
NONE = 'none'


def default_network(context: Any) -> dict[str, Any] | None:
    nets = networks_db.network_get_all(context)
    for net in nets:
        if net.get('is_default'):
            return net
    return nets[0] if len(nets) == 1 else None


def validate_requested(context: Any, requested: Any) -> None:
    """Fail early (400/404) on networks that cannot be used."""
    if requested in (None, AUTO, NONE):
        return
    for item in requested:
        if 'uuid' in item:
            networks_db.network_get_by_uuid(context, item['uuid'])
        elif 'fixed_ip' in item:
            _network_for_address(context, item['fixed_ip'])
        else:
            raise exception.Invalid(reason=_(
                'Only networks by uuid or fixed_ip are supported: there '
                'is no port service in this deployment.'))


def allocate_for_instance(context: Any, instance_uuid: str,
                          requested: Any) -> list[dict[str, Any]]:
    """Allocate one fixed IP per requested network; all or nothing."""
    if requested == NONE:
        return []
    if requested in (None, AUTO):
        net = default_network(context)
        wanted = [(net, None)] if net else []
    else:
        wanted = []
        for item in requested:
            if 'uuid' in item:
                net = networks_db.network_get_by_uuid(context, item['uuid'])
            else:
                net = _network_for_address(context, item['fixed_ip'])
            wanted.append((net, item.get('fixed_ip')))
    try:
        for net, address in wanted:
            networks_db.fixed_ip_allocate(context, net['id'], instance_uuid,
                                          address=address)
    except Exception:
        networks_db.fixed_ips_release_by_instance(context, instance_uuid)
        raise
    return get_network_info(context, instance_uuid)


def deallocate_for_instance(context: Any, instance_uuid: str) -> int:
    return networks_db.fixed_ips_release_by_instance(context, instance_uuid)


def get_network_info(context: Any, instance_uuid: str
                     ) -> list[dict[str, Any]]:
    """The driver's ``network_info``: one VIF per fixed IP."""
    info = []
    for fixed in networks_db.fixed_ip_get_by_instance(context,
                                                      instance_uuid):
        net = networks_db.network_get_by_uuid(context, fixed['network_uuid'])
        info.append({
            'id': _vif_id(instance_uuid, fixed['address']),
            'address': _mac(instance_uuid, fixed['address']),
            'network': {
                'id': net['uuid'], 'label': net['label'],
                'bridge': net.get('bridge'),
                'subnets': [{'cidr': net['cidr'],
                             'gateway': net.get('gateway'),
                             'ips': [{'address': fixed['address']}]}],
            },
        })
    return info


def addresses(context: Any, instance_uuids: list[str]
              ) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """{instance uuid: {network label: [{addr, version, mac}]}}."""
    result: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for uuid in instance_uuids:
        by_label: dict[str, list[dict[str, Any]]] = {}
        for fixed in networks_db.fixed_ip_get_by_instance(context, uuid):
            by_label.setdefault(fixed['network_label'], []).append({
                'addr': fixed['address'],
                'version': 6 if ':' in fixed['address'] else 4,
                'mac': _mac(uuid, fixed['address']),
            })
        result[uuid] = by_label
    return result


def _network_for_address(context: Any, address: str) -> dict[str, Any]:
    import ipaddress
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        raise exception.Invalid(
            reason=_('Invalid fixed IP address %s') % address) from None
    for net in networks_db.network_get_all(context):
        if parsed in ipaddress.ip_network(net['cidr'], strict=False):
            return net
    raise exception.NetworkNotFound(network_id=address)


def _mac(instance_uuid: str, address: str) -> str:
    # Stable per (instance, address) so the API and the guest agree
    # without storing it; locally administered unicast prefix fa:16:3e.
    digest = hashlib.sha256(f'{instance_uuid}/{address}'.encode()).digest()
    return 'fa:16:3e:{:02x}:{:02x}:{:02x}'.format(*digest[:3])


def _vif_id(instance_uuid: str, address: str) -> str:
    import uuid
    return str(uuid.uuid5(uuid.NAMESPACE_URL,
                          f'nova-vif:{instance_uuid}/{address}'))
