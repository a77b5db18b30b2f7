"""``nova-manage network``: the built-in address manager's networks.

    nova-manage network create --label LABEL --cidr CIDR [--gateway IP]
                               [--dns1 IP] [--dns2 IP] [--mtu N]
                               [--project-id ID] [--default]
    nova-manage network list
    nova-manage network delete UUID

Networks made here are where ``nova.network.api`` hands fixed IPs out of
(one per instance per requested network; ``networks: auto`` picks the
default one).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from nova import context as nova_context
from nova.cmd.manage import CommandError
from nova.cmd.manage import _require_database
from nova.cmd.manage import args

_COLUMNS = (('uuid', 'UUID'), ('label', 'Label'), ('cidr', 'CIDR'),
            ('gateway', 'Gateway'), ('dns1', 'DNS1'), ('dns2', 'DNS2'),
            ('mtu', 'MTU'), ('project_id', 'Project'),
            ('is_default', 'Default'), ('used', 'Used IPs'))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows as aligned text columns under a header line."""
    cells = [[str(h) for h in headers]] + [
        ['-' if value is None else str(value) for value in row]
        for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ['  '.join(cell.ljust(width) for cell, width
                       in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    return '\n'.join(lines)


def _address(value: str | None, what: str,
             net: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
             ) -> str | None:
    if value is None:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise CommandError(f'{what} {value!r} is not an IP address') from None
    if net is not None:
        if address not in net:
            raise CommandError(f'{what} {address} is not in {net}')
        if address in (net.network_address, net.broadcast_address) \
                and net.num_addresses > 2:
            raise CommandError(f'{what} {address} is the network or '
                               f'broadcast address of {net}')
    return str(address)


def _parse_cidr(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        net = ipaddress.ip_network(cidr, strict=True)
    except ValueError as exc:
        raise CommandError(f'bad CIDR {cidr!r}: {exc}') from None
    if net.num_addresses < 4:
        raise CommandError(f'{net} is too small: it leaves no address to '
                           f'hand out besides the gateway')
    return net


class NetworkCommands:
    """Networks of the built-in address manager."""

    @args('--label', required=True, metavar='LABEL',
          help='Name shown in server addresses, e.g. private')
    @args('--cidr', required=True, metavar='CIDR',
          help='Address range, e.g. 10.0.0.0/24 or fd00::/64')
    @args('--gateway', metavar='IP',
          help='Router address in the CIDR (default: its first address); '
               'never handed to an instance')
    @args('--dns1', metavar='IP', help='First DNS server given to guests')
    @args('--dns2', metavar='IP', help='Second DNS server given to guests')
    @args('--mtu', type=int, metavar='BYTES',
          help='MTU of the network, in bytes')
    @args('--project-id', metavar='ID',
          help='Only this project may use the network (default: shared)')
    @args('--default', action='store_true',
          help='Make it the network "networks: auto" picks')
    def create(self, label: str, cidr: str, gateway: str | None = None,
               dns1: str | None = None, dns2: str | None = None,
               mtu: int | None = None, project_id: str | None = None,
               default: bool = False) -> int:
        """Create a network and print its UUID."""
        from nova.db.api import networks as networks_db
        _require_database()
        net = _parse_cidr(cidr)
        values = {
            'label': label, 'cidr': str(net),
            'gateway': _address(gateway, 'gateway', net),
            'dns1': _address(dns1, 'dns1'), 'dns2': _address(dns2, 'dns2'),
            'mtu': mtu, 'project_id': project_id, 'is_default': default,
        }
        if mtu is not None and not 68 <= mtu <= 65535:
            raise CommandError(f'MTU {mtu} is not between 68 and 65535')
        ctxt = nova_context.get_admin_context()
        for other in networks_db.network_get_all(ctxt):
            other_net = ipaddress.ip_network(other['cidr'], strict=False)
            # Overlaps would make a fixed IP's network ambiguous.
            if other_net.version == net.version and net.overlaps(other_net):
                raise CommandError(
                    f'{net} overlaps network {other["uuid"]} '
                    f'({other["label"]}, {other_net})')
            if default and other.get('is_default'):
                raise CommandError(
                    f'network {other["uuid"]} ({other["label"]}) is '
                    f'already the default')
        created = networks_db.network_create(ctxt, values)
        print(created['uuid'])
        return 0

    def list(self) -> int:
        """List networks with their address usage."""
        from nova.db.api import networks as networks_db
        _require_database()
        ctxt = nova_context.get_admin_context()
        rows = []
        for net in networks_db.network_get_all(ctxt):
            used = len(networks_db.fixed_ip_get_by_network(ctxt, net['id']))
            values = {**net, 'used': used,
                      'is_default': 'yes' if net.get('is_default') else ''}
            rows.append([values.get(key) for key, _ in _COLUMNS])
        print(table([title for _, title in _COLUMNS], rows))
        return 0

    @args('uuid', help='UUID of the network')
    def delete(self, uuid: str) -> int:
        """Delete a network no instance has an address on."""
        from nova.db.api import networks as networks_db
        _require_database()
        ctxt = nova_context.get_admin_context()
        net = networks_db.network_get_by_uuid(ctxt, uuid)
        networks_db.network_delete(ctxt, net['id'])
        print(f'Deleted network {uuid} ({net["label"]}, {net["cidr"]}).')
        return 0
