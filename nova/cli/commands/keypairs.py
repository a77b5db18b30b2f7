"""Key pairs and server groups."""

from __future__ import annotations

import argparse
from typing import Any

from nova.cli import common
from nova.cli import errors


class KeypairAdd(common.ShowOne):
    """Create a key pair (the private key is printed once) or import one."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='NAME')
        parser.add_argument('--pub-key', metavar='FILE',
                            help='Import this public key instead of '
                                 'generating a pair')
        parser.add_argument('--key-type', choices=['ssh', 'x509'],
                            help='(2.2+)')
        parser.add_argument('--user', metavar='USER_ID',
                            help='Owner, for admins (2.10+)')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        keypair: dict[str, Any] = {'name': parsed_args.name}
        version = None
        if parsed_args.pub_key:
            try:
                with open(parsed_args.pub_key, encoding='utf-8') as f:
                    keypair['public_key'] = f.read()
            except OSError as exc:
                raise errors.CommandError(
                    f'ERROR: cannot read {parsed_args.pub_key}: '
                    f'{exc.strerror}') from None
        elif self.client.at_least('2.92'):
            # 2.92 dropped server-side generation; 2.91 is the last
            # microversion that has it, and every 2.92 server serves it.
            version = '2.91'
        if parsed_args.key_type:
            keypair['type'] = parsed_args.key_type
        if parsed_args.user:
            keypair['user_id'] = parsed_args.user
        created = self.client.compute('POST', '/os-keypairs',
                                      version=version,
                                      json={'keypair': keypair})['keypair']
        return common.show_dict(created)


class KeypairList(common.Lister):
    """List key pairs."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--user', metavar='USER_ID',
                            help='Another user\'s key pairs (admin, 2.10+)')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        params = {'user_id': parsed_args.user}
        items = [k['keypair'] for k in self.client.compute_pages(
            '/os-keypairs', 'keypairs', params)]
        fields = ['name', 'type', 'fingerprint']
        return (['Name', 'Type', 'Fingerprint'],
                common.rows(items, fields))


class KeypairShow(common.ShowOne):
    """Show a key pair."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='NAME')
        parser.add_argument('--user', metavar='USER_ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        keypair = self.client.compute(
            'GET', f'/os-keypairs/{parsed_args.name}',
            params={'user_id': parsed_args.user})['keypair']
        return common.show_dict(keypair)


class KeypairDelete(common.Command):
    """Delete key pairs."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('names', metavar='NAME', nargs='+')
        parser.add_argument('--user', metavar='USER_ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        for name in parsed_args.names:
            self.client.compute('DELETE', f'/os-keypairs/{name}',
                                params={'user_id': parsed_args.user})
        return 0


GROUP_FIELDS = [('Id', 'id'), ('Name', 'name'), ('Policy', 'policy'),
                ('Members', 'members'), ('Project Id', 'project_id')]


def _group_row(group: dict[str, Any]) -> dict[str, Any]:
    # Before 2.64 the policy is a one-item list named "policies".
    group = dict(group)
    group.setdefault('policy', (group.get('policies') or [None])[0])
    return group


class ServerGroupCreate(common.ShowOne):
    """Create a server group."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='NAME')
        parser.add_argument('policy', metavar='POLICY',
                            choices=['affinity', 'anti-affinity',
                                     'soft-affinity', 'soft-anti-affinity'])
        parser.add_argument('--rule', action='append', metavar='KEY=VALUE',
                            help='e.g. max_server_per_host=2 (2.64+)')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        group: dict[str, Any] = {'name': parsed_args.name}
        rules = common.parse_key_values(parsed_args.rule, '--rule')
        if self.client.at_least('2.64'):
            group['policy'] = parsed_args.policy
            if rules:
                group['rules'] = {k: int(v) if v.isdigit() else v
                                  for k, v in rules.items()}
        elif rules:
            raise errors.CommandError(
                'ERROR: --rule needs microversion 2.64 or later')
        else:
            group['policies'] = [parsed_args.policy]
        created = self.client.compute('POST', '/os-server-groups',
                                      json={'server_group': group})
        return common.show_dict(_group_row(created['server_group']))


class ServerGroupList(common.Lister):
    """List server groups."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--all-projects', action='store_true')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        params = {'all_projects': 'True'} if parsed_args.all_projects else {}
        groups = [_group_row(g) for g in self.client.offset_pages(
            '/os-server-groups', 'server_groups', params)]
        return ([t for t, _ in GROUP_FIELDS],
                common.rows(groups, [k for _, k in GROUP_FIELDS]))


class ServerGroupShow(common.ShowOne):
    """Show a server group."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('group', metavar='GROUP', help='Name or ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        group = _find_group(self, parsed_args.group)
        return common.show_dict(_group_row(group))


class ServerGroupDelete(common.Command):
    """Delete server groups."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('groups', metavar='GROUP', nargs='+')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        for ref in parsed_args.groups:
            group = _find_group(self, ref)
            self.client.compute('DELETE', f"/os-server-groups/{group['id']}")
        return 0


def _find_group(cmd: common.ClientMixin, ref: str) -> dict[str, Any]:
    try:
        return cmd.client.compute('GET', f'/os-server-groups/{ref}'
                                  )['server_group']
    except errors.ApiError as exc:
        if exc.status != 404:
            raise
    return common.find_group(cmd.client, ref)


COMMANDS = {
    'keypair-add': KeypairAdd, 'keypair-list': KeypairList,
    'keypair-show': KeypairShow, 'keypair-delete': KeypairDelete,
    'server-group-create': ServerGroupCreate,
    'server-group-list': ServerGroupList,
    'server-group-show': ServerGroupShow,
    'server-group-delete': ServerGroupDelete,
}
