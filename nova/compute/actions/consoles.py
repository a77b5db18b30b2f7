"""Remote consoles: a URL with a short-lived token for the guest's VNC
or serial console, checked by the console proxy through
os-console-auth-tokens (the API half; the compute says where the
console listens).
"""

from __future__ import annotations

import secrets
import urllib.parse
from typing import Any

from oslo_utils import timeutils

from nova import conf as nova_conf
from nova import exception
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import transitions
from nova.compute.actions import common
from nova.db.api import console_auth_tokens as tokens_db

CONF = nova_conf.CONF

# protocol -> console types we serve. SPICE, RDP and MKS need proxies
# this cloud does not run.
SERVED = {'vnc': ('novnc',), 'serial': ('serial',)}
ALL_TYPES = ('novnc', 'xvpvnc', 'spice-html5', 'spice-direct', 'serial',
             'rdp-html5', 'webmks')


def get_console(context: Any, instance: dict[str, Any], protocol: str,
                console_type: str) -> dict[str, str]:
    """``{'protocol', 'type', 'url'}`` of a fresh console URL."""
    if console_type not in SERVED.get(protocol, ()):
        raise exception.ConsoleTypeUnavailable(
            console_type=f'{protocol}/{console_type}')
    if protocol == 'vnc' and not CONF.vnc.enabled:
        raise exception.ConsoleTypeUnavailable(console_type=console_type)
    transitions.check(context, instance, 'getConsole')
    common.require_compute(context, instance)
    where = compute_rpcapi.ComputeAPI().get_console(context, instance,
                                                    protocol)
    base = CONF.vnc.novncproxy_base_url if protocol == 'vnc' \
        else CONF.serial_console.base_url
    token = secrets.token_urlsafe(32)
    tokens_db.console_auth_token_create(context, token, {
        'console_type': console_type, 'host': where['host'],
        'port': int(where['port']),
        'internal_access_path': where.get('internal_access_path'),
        'instance_uuid': instance['uuid'], 'access_url_base': base,
        'expires': int(timeutils.utcnow_ts()) + CONF.consoleauth.token_ttl})
    if console_type == 'novnc':
        # noVNC takes the websocket path (with the token) as "path".
        query = 'path=' + urllib.parse.quote(f'?token={token}', safe='')
    else:
        query = f'token={token}'
    sep = '&' if '?' in base else '?'
    return {'protocol': protocol, 'type': console_type,
            'url': f'{base}{sep}{query}'}


def token_details(context: Any, token: str) -> dict[str, Any]:
    """What the console proxy needs to connect a valid token."""
    record = tokens_db.console_auth_token_get_valid(context, token)
    return {'instance_uuid': record['instance_uuid'],
            'host': record['host'], 'port': record['port'],
            'internal_access_path': record['internal_access_path'],
            'console_type': record['console_type']}
