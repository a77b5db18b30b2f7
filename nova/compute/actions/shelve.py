"""Shelve, shelveOffload and unshelve: the API half. The computes do
the work (nova/compute/flows/shelve.py); conductor finds a host for an
offloaded server (nova/conductor/tasks/unshelve.py).
"""

from __future__ import annotations

from typing import Any

from nova import exception
from nova.compute import availability_zones
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import vm_states as vm
from nova.compute.actions import common
from nova.compute.actions import snapshot as snapshot_api
from nova.conductor import rpcapi as conductor_rpcapi
from nova.i18n import _


def shelve(context: Any, instance: dict[str, Any]) -> None:
    updated = common.begin(context, instance, 'shelve')
    image = snapshot_api.create_shelved_image(context, updated)
    compute_rpcapi.ComputeAPI().shelve_instance(context, updated,
                                                image['id'])


def shelve_offload(context: Any, instance: dict[str, Any]) -> None:
    compute_rpcapi.ComputeAPI().shelve_offload_instance(
        context, common.begin(context, instance, 'shelveOffload'))


def unshelve(context: Any, instance: dict[str, Any], zone: str | None,
             host: str | None, unpin_zone: bool) -> None:
    """``zone``/``host``: where to go (offloaded servers only);
    ``unpin_zone``: forget the zone the server was created in."""
    if (zone or host or unpin_zone) and \
            instance['vm_state'] != vm.SHELVED_OFFLOADED:
        raise exception.Conflict(reason=_(
            'an availability zone or host can only be given to unshelve '
            'an offloaded server (this one is %s)') % instance['vm_state'])
    if zone and zone not in set(
            availability_zones.host_zones(context).values()) | {
                _default_zone()}:
        raise exception.Invalid(reason=_(
            'The requested availability zone %s is not available') % zone)
    if host:
        common.known_host(context, host)
    common.begin(context, instance, 'unshelve', needs_compute=False)
    conductor_rpcapi.ComputeTaskAPI().unshelve_instance(
        context, instance['uuid'], zone, host, unpin_zone)


def _default_zone() -> str:
    from nova import conf as nova_conf
    return nova_conf.CONF.default_availability_zone
