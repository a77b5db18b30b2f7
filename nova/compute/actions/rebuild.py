"""Rebuild: a server keeps its id, addresses and flavor and gets a new
root disk from an image, optionally a new name, metadata, key pair, user
data and hostname (the API half; the compute half is
nova/compute/flows/rebuild.py).
"""

from __future__ import annotations

import secrets
from typing import Any

from nova.compute import create as create_flow
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import vm_states
from nova.compute.actions import common
from nova.compute.actions import resize as resize_api

# Request field -> instance column.
_RENAMED = {'name': 'display_name', 'description': 'display_description',
            'user_data': 'user_data', 'hostname': 'hostname',
            'accessIPv4': 'access_ip_v4', 'accessIPv6': 'access_ip_v6'}


def rebuild(context: Any, instance: dict[str, Any],
            request: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Start the rebuild; the updated instance and its new password."""
    flavor = resize_api.current_flavor(instance)
    image = create_flow.image_for(context, request['imageRef'], flavor)
    values: dict[str, Any] = {'image_ref': image['id']}
    for field, column in _RENAMED.items():
        if field in request:
            values[column] = request[field]
    if 'metadata' in request:
        values['metadata'] = request['metadata']
    if 'key_name' in request:
        keypair = create_flow.keypair_for(context, request['key_name'])
        values['key_name'] = keypair['name'] if keypair else None
        values['key_data'] = keypair['public_key'] if keypair else None
    password = request.get('adminPass') or secrets.token_urlsafe(9)
    updated = common.begin(context, instance, 'rebuild', values=values)
    compute_rpcapi.ComputeAPI().rebuild_instance(
        context, updated, image, password,
        # A stopped server stays stopped, like upstream.
        stopped=instance['vm_state'] == vm_states.STOPPED,
        preserve_ephemeral=bool(request.get('preserve_ephemeral')))
    return updated, password
