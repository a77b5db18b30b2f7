"""Server actions: ``POST /servers/{id}/action`` with the standard bodies.

Each command resolves the server by name or id, builds the Compute API
body for the negotiated microversion and prints what the server said;
an action the server does not serve (yet) ends in its fault, exit 1.
"""

from __future__ import annotations

import argparse
import base64
from typing import Any

from nova.cli import common
from nova.cli import errors
from nova.cli.commands import servers as server_cmds


class ServerAction(common.Command):
    """Base: one action on one or more servers."""

    action = ''           # the body's key, e.g. 'os-stop'
    verb = ''             # for the acceptance message
    many = True           # accepts several servers

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        if self.many:
            parser.add_argument('servers', metavar='SERVER', nargs='+',
                                help='Name or ID')
        else:
            parser.add_argument('server', metavar='SERVER',
                                help='Name or ID')
        self.add_arguments(parser)
        parser.add_argument('--poll', action='store_true',
                            help='Wait until the server has finished the '
                                 'action (its task state is empty)')
        parser.add_argument('--poll-timeout', type=float, default=600,
                            metavar='SECONDS')
        return parser

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Options of this action (none by default)."""

    def body(self, args: argparse.Namespace) -> Any:
        """The value under ``action`` (None: ``{"<action>": null}``)."""
        return None

    def post(self, server_id: str, args: argparse.Namespace) -> Any:
        return self.client.compute('POST', f'/servers/{server_id}/action',
                                   json={self.action: self.body(args)})

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        refs = parsed_args.servers if self.many else [parsed_args.server]
        failures = []
        for ref in refs:
            try:
                server = common.find_server(self.client, ref)
                result = self.post(server['id'], parsed_args)
            except errors.CommandError as exc:
                if len(refs) == 1:
                    raise
                failures.append(f'{ref}: {exc}')
                continue
            self.report(ref, result)
            if parsed_args.poll:
                done = server_cmds.wait_for_task(
                    self.client, server['id'], parsed_args.poll_timeout)
                print(f"Server {ref} is {done['status']}.",
                      file=self.app.stdout)
        if failures:
            raise errors.CommandError('\n'.join(failures))
        return 0

    def report(self, ref: str, result: Any) -> None:
        verb = self.verb or self.cmd_name
        print(f'Request to {verb} server {ref} has been accepted.',
              file=self.app.stdout)
        if isinstance(result, dict) and result.get('adminPass'):
            print(f"adminPass: {result['adminPass']}", file=self.app.stdout)


def simple(action: str, doc: str, verb: str = '') -> type[ServerAction]:
    """An action whose body is ``{action: null}``."""
    return type(f'Action_{action}', (ServerAction,),
                {'action': action, 'verb': verb, '__doc__': doc})


class Reboot(ServerAction):
    """Reboot servers (soft by default)."""

    action = 'reboot'

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('--hard', action='store_true',
                            help='Power-cycle instead of asking the guest')

    def body(self, args: argparse.Namespace) -> Any:
        return {'type': 'HARD' if args.hard else 'SOFT'}


class Lock(ServerAction):
    """Lock servers: only admins may change them until unlocked."""

    action = 'lock'

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('--reason', help='Why (microversion 2.73+)')

    def body(self, args: argparse.Namespace) -> Any:
        if args.reason and not self.client.at_least('2.73'):
            raise errors.CommandError(
                'ERROR: --reason needs microversion 2.73 or later')
        return {'locked_reason': args.reason} if args.reason else None


class Rebuild(ServerAction):
    """Rebuild a server from an image."""

    action = 'rebuild'
    many = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('image', metavar='IMAGE', help='Name or ID')
        parser.add_argument('--name', help='New server name')
        parser.add_argument('--password', help='New admin password')
        parser.add_argument('--meta', action='append', metavar='KEY=VALUE')
        parser.add_argument('--preserve-ephemeral', action='store_true')
        parser.add_argument('--key-name', help='Key pair (2.54+)')
        parser.add_argument('--user-data', metavar='FILE',
                            help='New user data (2.57+)')

    def body(self, args: argparse.Namespace) -> Any:
        body: dict[str, Any] = {
            'imageRef': common.find_image_id(self.client, args.image)}
        for key, value in (('name', args.name), ('adminPass', args.password),
                           ('key_name', args.key_name)):
            if value is not None:
                body[key] = value
        if args.meta:
            body['metadata'] = common.parse_key_values(args.meta, '--meta')
        if args.preserve_ephemeral:
            body['preserve_ephemeral'] = True
        if args.user_data:
            with open(args.user_data, 'rb') as f:
                body['user_data'] = base64.b64encode(f.read()).decode()
        return body


class Resize(ServerAction):
    """Resize a server to another flavor (confirm or revert after)."""

    action = 'resize'
    many = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('flavor', metavar='FLAVOR', help='Name or ID')

    def body(self, args: argparse.Namespace) -> Any:
        return {'flavorRef': common.find_flavor(self.client,
                                                args.flavor)['id']}


class Migrate(ServerAction):
    """Cold-migrate servers to another host."""

    action = 'migrate'

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('--host', help='Destination host (2.56+)')

    def body(self, args: argparse.Namespace) -> Any:
        return {'host': args.host} if args.host else None


class LiveMigration(ServerAction):
    """Live-migrate a server."""

    action = 'os-migrateLive'
    verb = 'live-migrate'
    many = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('host', metavar='HOST', nargs='?',
                            help='Destination (default: the scheduler '
                                 'chooses)')
        parser.add_argument('--block-migrate', action='store_true')

    def body(self, args: argparse.Namespace) -> Any:
        if self.client.at_least('2.25'):
            block: Any = True if args.block_migrate else 'auto'
            return {'host': args.host, 'block_migration': block}
        return {'host': args.host, 'block_migration': args.block_migrate,
                'disk_over_commit': False}


class Evacuate(ServerAction):
    """Rebuild a server of a failed host on another host."""

    action = 'evacuate'
    many = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('host', metavar='HOST', nargs='?')
        parser.add_argument('--password', help='New admin password')

    def body(self, args: argparse.Namespace) -> Any:
        body = {'host': args.host, 'adminPass': args.password}
        if not self.client.at_least('2.14'):
            body['onSharedStorage'] = False
        return {k: v for k, v in body.items() if v is not None}


class Unshelve(ServerAction):
    """Unshelve servers."""

    action = 'unshelve'

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('--availability-zone', metavar='ZONE',
                            help='Where to unshelve (2.77+)')
        parser.add_argument('--host', help='Where to unshelve (2.91+)')

    def body(self, args: argparse.Namespace) -> Any:
        body = {'availability_zone': args.availability_zone,
                'host': args.host}
        body = {k: v for k, v in body.items() if v is not None}
        return body or None


class Rescue(ServerAction):
    """Boot a server from a rescue image."""

    action = 'rescue'
    many = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('--password', help='Admin password of the '
                                               'rescue system')
        parser.add_argument('--image', help='Rescue image name or ID')

    def body(self, args: argparse.Namespace) -> Any:
        body: dict[str, Any] = {}
        if args.password:
            body['adminPass'] = args.password
        if args.image:
            body['rescue_image_ref'] = common.find_image_id(self.client,
                                                            args.image)
        return body or None


class ResizeConfirm(ServerAction):
    """Confirm a finished resize or migration."""

    action = 'confirmResize'
    verb = 'confirm the resize of'


class ResizeRevert(ServerAction):
    """Revert a finished resize or migration."""

    action = 'revertResize'
    verb = 'revert the resize of'


class Wait(common.ShowOne):
    """Wait until a server is ACTIVE (or ERROR, exit 1)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('server', metavar='SERVER')
        parser.add_argument('--timeout', type=float, default=600,
                            dest='wait_timeout', metavar='SECONDS')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        server = common.find_server(self.client, parsed_args.server)
        return server_cmds.server_details(server_cmds.wait_for_status(
            self.client, server['id'], 'waiting',
            parsed_args.wait_timeout))


COMMANDS: dict[str, type] = {
    'reboot': Reboot,
    'stop': simple('os-stop', 'Stop (power off) servers.', 'stop'),
    'start': simple('os-start', 'Start (power on) servers.', 'start'),
    'pause': simple('pause', 'Pause servers.'),
    'unpause': simple('unpause', 'Unpause servers.'),
    'suspend': simple('suspend', 'Suspend servers.'),
    'resume': simple('resume', 'Resume suspended servers.'),
    'lock': Lock,
    'unlock': simple('unlock', 'Unlock servers.'),
    'rebuild': Rebuild,
    'resize': Resize,
    'resize-confirm': ResizeConfirm,
    'resize-revert': ResizeRevert,
    'migrate': Migrate,
    'live-migration': LiveMigration,
    'evacuate': Evacuate,
    'shelve': simple('shelve', 'Shelve servers.'),
    'unshelve': Unshelve,
    'rescue': Rescue,
    'unrescue': simple('unrescue', 'Leave rescue mode.'),
    'force-delete': simple('forceDelete', 'Delete soft-deleted servers '
                           'now.', 'force-delete'),
    'restore': simple('restore', 'Restore soft-deleted servers.'),
    'wait': Wait,
}
