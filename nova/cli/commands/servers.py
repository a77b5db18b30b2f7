"""Servers: boot, list, show, delete, metadata, consoles, actions log."""

from __future__ import annotations

import argparse
import base64
import sys
import time
from typing import Any

from nova.cli import common
from nova.cli import errors
from nova.cli import http

# Compute API power_state numbers, as novaclient names them.
POWER_STATES = {0: 'NOSTATE', 1: 'Running', 3: 'Paused', 4: 'Shutdown',
                6: 'Crashed', 7: 'Suspended'}

LIST_FIELDS = [('ID', 'id'), ('Name', 'name'), ('Status', 'status'),
               ('Task State', 'OS-EXT-STS:task_state'),
               ('Power State', 'OS-EXT-STS:power_state'),
               ('Networks', 'addresses')]


def networks_text(addresses: dict[str, Any] | None) -> str:
    """``private=192.168.100.3; other=10.0.0.4`` like novaclient."""
    return '; '.join(
        f"{net}={', '.join(a.get('addr', '') for a in addrs)}"
        for net, addrs in sorted((addresses or {}).items()))


def _server_row(server: dict[str, Any], fields: list[str]
                ) -> tuple[Any, ...]:
    values = []
    for field in fields:
        value = server.get(field)
        if field == 'addresses':
            value = networks_text(value)
        elif field == 'OS-EXT-STS:power_state':
            value = POWER_STATES.get(value, value)
        values.append(common.cell(value))
    return tuple(values)


class Addresses(common.Structured):
    """``private=192.168.100.3`` in tables, the API's dict in json."""

    def human_readable(self) -> str:
        return networks_text(self._value)


def server_details(server: dict[str, Any]
                   ) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    data = dict(server)
    flavor = data.get('flavor') or {}
    # Before 2.47 the flavor is a link; from 2.47 a copy of the flavor.
    if 'original_name' in flavor:
        data['flavor'] = flavor
    elif 'id' in flavor:
        data['flavor'] = flavor['id']
    image = data.get('image')
    if isinstance(image, dict):
        data['image'] = image.get('id')
    if 'OS-EXT-STS:power_state' in data:
        data['OS-EXT-STS:power_state'] = POWER_STATES.get(
            data['OS-EXT-STS:power_state'], data['OS-EXT-STS:power_state'])
    columns, values = common.show_dict(data)
    return columns, tuple(
        Addresses(server['addresses']) if column == 'addresses' else value
        for column, value in zip(columns, values, strict=True))


def wait_for_status(client: http.Client, server_id: str, action: str,
                    timeout: float, interval: float = 1.0
                    ) -> dict[str, Any]:
    """Poll until ACTIVE (returns the server) or ERROR (fault message),
    drawing a progress line on stderr so stdout stays parseable."""
    deadline = time.monotonic() + timeout
    while True:
        server = client.compute('GET', f'/servers/{server_id}')['server']
        status = server.get('status')
        progress = server.get('progress') or 0
        sys.stderr.write(f'\rServer {action}... {progress}% complete '
                         f'({status})')
        sys.stderr.flush()
        if status == 'ACTIVE':
            sys.stderr.write('\nFinished\n')
            return server
        if status == 'ERROR':
            sys.stderr.write('\n')
            fault = (server.get('fault') or {}).get('message', 'no fault '
                                                    'recorded')
            raise errors.CommandError(
                f'ERROR: server {server_id} is in ERROR: {fault}')
        if time.monotonic() > deadline:
            sys.stderr.write('\n')
            raise errors.CommandError(
                f'ERROR: server {server_id} is still {status} after '
                f'{timeout:g} s')
        time.sleep(interval)


def wait_for_task(client: http.Client, server_id: str, timeout: float,
                  interval: float = 0.5) -> dict[str, Any]:
    """Poll until the server has no task (returns it) or is in ERROR."""
    deadline = time.monotonic() + timeout
    while True:
        server = client.compute('GET', f'/servers/{server_id}')['server']
        status = server.get('status')
        task = server.get('OS-EXT-STS:task_state')
        sys.stderr.write(f'\rServer {server_id}: {status} '
                         f'({task or "no task"})    ')
        sys.stderr.flush()
        if status == 'ERROR':
            sys.stderr.write('\n')
            fault = (server.get('fault') or {}).get('message', 'no fault '
                                                    'recorded')
            raise errors.CommandError(
                f'ERROR: server {server_id} is in ERROR: {fault}')
        if task is None:
            sys.stderr.write('\n')
            return server
        if time.monotonic() > deadline:
            sys.stderr.write('\n')
            raise errors.CommandError(
                f'ERROR: server {server_id} is still {status} ({task}) '
                f'after {timeout:g} s')
        time.sleep(interval)


def _networks(nics: list[str], client: http.Client) -> Any:
    if not nics:
        return 'auto' if client.at_least('2.37') else None
    if nics in (['none'], ['auto']):
        return nics[0]
    networks = []
    for nic in nics:
        entry = common.parse_key_values(nic.split(','), '--nic')
        request: dict[str, str] = {}
        if 'net-id' in entry:
            request['uuid'] = entry.pop('net-id')
        if 'v4-fixed-ip' in entry:
            request['fixed_ip'] = entry.pop('v4-fixed-ip')
        if entry or not request:
            raise errors.CommandError(
                f'ERROR: --nic {nic!r}: expected none, auto, or '
                f'net-id=UUID[,v4-fixed-ip=IP]')
        networks.append(request)
    return networks


class Boot(common.ShowOne):
    """Boot a new server."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='NAME')
        parser.add_argument('--flavor', required=True,
                            help='Flavor name or ID')
        parser.add_argument('--image', required=True,
                            help='Image name or ID')
        parser.add_argument('--key-name', help='Key pair to inject')
        parser.add_argument('--availability-zone', metavar='ZONE')
        parser.add_argument('--meta', action='append', metavar='KEY=VALUE',
                            help='Metadata (repeat for more)')
        parser.add_argument('--user-data', metavar='FILE',
                            help='File passed to the guest as user data')
        parser.add_argument('--min-count', type=int)
        parser.add_argument('--max-count', type=int)
        parser.add_argument(
            '--nic', action='append', default=[], metavar='NIC',
            help='none, auto, or net-id=UUID[,v4-fixed-ip=IP] (repeat '
                 'for more networks); default auto')
        parser.add_argument('--hint', action='append', metavar='KEY=VALUE',
                            help='Scheduler hint (repeat for more)')
        parser.add_argument('--group', metavar='SERVER_GROUP',
                            help='Server group name or ID')
        parser.add_argument('--description')
        parser.add_argument('--poll', action='store_true',
                            help='Show progress until ACTIVE or ERROR')
        parser.add_argument('--poll-timeout', type=float, default=600,
                            metavar='SECONDS')
        return parser

    def _body(self, args: argparse.Namespace) -> dict[str, Any]:
        client = self.client
        server: dict[str, Any] = {
            'name': args.name,
            'flavorRef': common.find_flavor(client, args.flavor)['id'],
            'imageRef': common.find_image_id(client, args.image),
        }
        optional = {'key_name': args.key_name,
                    'availability_zone': args.availability_zone,
                    'min_count': args.min_count,
                    'max_count': args.max_count,
                    'description': args.description,
                    'networks': _networks(args.nic, client)}
        server.update({k: v for k, v in optional.items() if v is not None})
        if args.meta:
            server['metadata'] = common.parse_key_values(args.meta, '--meta')
        if args.user_data:
            try:
                with open(args.user_data, 'rb') as f:
                    server['user_data'] = base64.b64encode(
                        f.read()).decode()
            except OSError as exc:
                raise errors.CommandError(
                    f'ERROR: cannot read {args.user_data}: '
                    f'{exc.strerror}') from None
        body: dict[str, Any] = {'server': server}
        hints = common.parse_key_values(args.hint, '--hint')
        if args.group:
            hints['group'] = common.find_group(client, args.group)['id']
        if hints:
            body['os:scheduler_hints'] = hints
        return body

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        created = self.client.compute('POST', '/servers',
                                      json=self._body(parsed_args))
        if 'server' not in created:
            return common.show_dict(created)
        server_id = created['server']['id']
        if parsed_args.poll:
            server = wait_for_status(self.client, server_id, 'building',
                                     parsed_args.poll_timeout)
        else:
            server = self.client.compute('GET',
                                         f'/servers/{server_id}')['server']
        if created['server'].get('adminPass'):
            server['adminPass'] = created['server']['adminPass']
        return server_details(server)


class List(common.Lister):
    """List servers (every page; filters are the Compute API's)."""

    FILTERS = ('name', 'status', 'host', 'image', 'flavor', 'ip', 'ip6',
               'changes_since', 'tenant_id', 'user_id', 'sort_key',
               'sort_dir', 'availability_zone')

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        for name in self.FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name)
        parser.add_argument('--all-tenants', action='store_true',
                            help='Servers of every project (admin)')
        parser.add_argument('--deleted', action='store_true',
                            help='Deleted servers only (admin)')
        parser.add_argument('--limit', type=int,
                            help='At most this many servers (default: all)')
        parser.add_argument('--marker', help='Start after this server ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        params = {name: getattr(parsed_args, name) for name in self.FILTERS}
        if parsed_args.changes_since:
            params['changes-since'] = params.pop('changes_since')
        if parsed_args.all_tenants:
            params['all_tenants'] = 1
        if parsed_args.deleted:
            params['deleted'] = 'True'
        params['marker'] = parsed_args.marker
        params['limit'] = parsed_args.limit
        fields = list(LIST_FIELDS)
        if parsed_args.all_tenants:
            fields.insert(2, ('Tenant ID', 'tenant_id'))
        servers = []
        for server in self.client.compute_pages('/servers/detail',
                                                'servers', params):
            servers.append(server)
            if parsed_args.limit and len(servers) >= parsed_args.limit:
                break
        keys = [key for _, key in fields]
        return ([title for title, _ in fields],
                [_server_row(s, keys) for s in servers])


class Show(common.ShowOne):
    """Show a server's details."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('server', metavar='SERVER', help='Name or ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        return server_details(common.find_server(self.client,
                                                 parsed_args.server))


class Delete(common.Command):
    """Delete one or more servers."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('servers', metavar='SERVER', nargs='+')
        parser.add_argument('--wait', action='store_true',
                            help='Wait until the servers are gone')
        parser.add_argument('--wait-timeout', type=float, default=300,
                            metavar='SECONDS')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        client = self.client
        failures, deleted = [], []
        for ref in parsed_args.servers:
            try:
                server = common.find_server(client, ref)
                client.compute('DELETE', f"/servers/{server['id']}")
            except errors.CommandError as exc:
                failures.append(f'{ref}: {exc}')
                continue
            deleted.append(server['id'])
            print(f'Request to delete server {ref} has been accepted.')
        if parsed_args.wait:
            deadline = time.monotonic() + parsed_args.wait_timeout
            for server_id in deleted:
                failure = _wait_gone(client, server_id, deadline)
                if failure:
                    failures.append(failure)
        for failure in failures:
            print(failure, file=sys.stderr)
        if failures:
            raise errors.CommandError(
                f'ERROR: {len(failures)} of {len(parsed_args.servers)} '
                f'servers could not be deleted')
        return 0


def _wait_gone(client: http.Client, server_id: str,
               deadline: float) -> str | None:
    while True:
        try:
            server = client.compute('GET', f'/servers/{server_id}')['server']
        except errors.ApiError as exc:
            if exc.status == 404:
                return None
            raise
        if server.get('status') == 'ERROR':
            fault = (server.get('fault') or {}).get('message', '')
            return f'{server_id}: delete failed: ERROR {fault}'.strip()
        if time.monotonic() > deadline:
            return f'{server_id}: still there ({server.get("status")})'
        time.sleep(0.5)


class Meta(common.Command):
    """Set or delete metadata on a server."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('server', metavar='SERVER')
        parser.add_argument('action', choices=['set', 'delete'])
        parser.add_argument('metadata', metavar='KEY[=VALUE]', nargs='+')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        server = common.find_server(self.client, parsed_args.server)
        path = f"/servers/{server['id']}/metadata"
        if parsed_args.action == 'set':
            self.client.compute('POST', path, json={
                'metadata': common.parse_key_values(parsed_args.metadata,
                                                    'meta set')})
        else:
            for key in parsed_args.metadata:
                self.client.compute('DELETE', f'{path}/{key}')
        return 0


class ConsoleLog(common.Command):
    """Print a server's console output."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('server', metavar='SERVER')
        parser.add_argument('--length', type=int,
                            help='Only the last LENGTH lines')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        server = common.find_server(self.client, parsed_args.server)
        request = {} if parsed_args.length is None else {
            'length': parsed_args.length}
        body = {'os-getConsoleOutput': request}
        out = self.client.compute('POST', f"/servers/{server['id']}/action",
                                  json=body)
        self.app.stdout.write(out.get('output', ''))
        return 0


class GetVncConsole(common.Lister):
    """Get a URL for a server's VNC console."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('server', metavar='SERVER')
        parser.add_argument('console_type', metavar='TYPE', nargs='?',
                            default='novnc', choices=['novnc', 'xvpvnc'])
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        server = common.find_server(self.client, parsed_args.server)
        path = f"/servers/{server['id']}"
        kind = parsed_args.console_type
        if self.client.at_least('2.6'):
            console = self.client.compute('POST', f'{path}/remote-consoles',
                                          json={'remote_console': {
                                              'protocol': 'vnc',
                                              'type': kind}})
            console = console['remote_console']
        else:
            console = self.client.compute('POST', f'{path}/action', json={
                'os-getVNCConsole': {'type': kind}})['console']
        return ['Type', 'Url'], [(console.get('type'), console.get('url'))]


class InstanceActionList(common.Lister):
    """List the actions recorded on a server."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('server', metavar='SERVER')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        server = common.find_server(self.client, parsed_args.server)
        actions = list(self.client.compute_pages(
            f"/servers/{server['id']}/os-instance-actions",
            'instanceActions'))
        fields = ['action', 'request_id', 'message', 'start_time']
        if self.client.at_least('2.58'):
            fields.append('updated_at')
        return ([f.replace('_', ' ').title() for f in fields],
                common.rows(actions, fields))


class InstanceAction(common.ShowOne):
    """Show one action of a server, with its events."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('server', metavar='SERVER')
        parser.add_argument('request_id', metavar='REQUEST_ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        server = common.find_server(self.client, parsed_args.server)
        action = self.client.compute(
            'GET', f"/servers/{server['id']}/os-instance-actions/"
                   f"{parsed_args.request_id}")['instanceAction']
        return common.show_dict(action)


COMMANDS = {
    'boot': Boot, 'list': List, 'show': Show, 'delete': Delete,
    'meta': Meta, 'console-log': ConsoleLog,
    'get-vnc-console': GetVncConsole,
    'instance-action-list': InstanceActionList,
    'instance-action': InstanceAction,
}
