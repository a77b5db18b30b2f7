"""Flavors: list, show, create, delete, extra specs, project access."""

from __future__ import annotations

import argparse
from typing import Any

from nova.cli import common

LIST_FIELDS = [('ID', 'id'), ('Name', 'name'), ('Memory MiB', 'ram'),
               ('Disk', 'disk'), ('Ephemeral', 'OS-FLV-EXT-DATA:ephemeral'),
               ('Swap', 'swap'), ('VCPUs', 'vcpus'),
               ('RXTX Factor', 'rxtx_factor'),
               ('Is Public', 'os-flavor-access:is_public')]


def _flavor_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument('flavor', metavar='FLAVOR', help='Name or ID')


class FlavorList(common.Lister):
    """List flavors."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--all', action='store_true',
                            help='Private flavors too (admin)')
        parser.add_argument('--extra-specs', action='store_true',
                            help='Show extra specs (2.61+ in the list, '
                                 'else one request per flavor)')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        params = {'is_public': 'None'} if parsed_args.all else {}
        flavors = list(self.client.compute_pages('/flavors/detail',
                                                 'flavors', params))
        fields = list(LIST_FIELDS)
        if parsed_args.extra_specs:
            fields.append(('Extra Specs', 'extra_specs'))
            for flavor in flavors:
                if 'extra_specs' not in flavor:
                    flavor['extra_specs'] = self.client.compute(
                        'GET', f"/flavors/{flavor['id']}/os-extra_specs"
                    )['extra_specs']
        return ([t for t, _ in fields],
                common.rows(flavors, [k for _, k in fields]))


class FlavorShow(common.ShowOne):
    """Show a flavor."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        _flavor_arg(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        flavor = common.find_flavor(self.client, parsed_args.flavor)
        if 'extra_specs' not in flavor:
            flavor['extra_specs'] = self.client.compute(
                'GET', f"/flavors/{flavor['id']}/os-extra_specs"
            )['extra_specs']
        return common.show_dict(flavor)


class FlavorCreate(common.ShowOne):
    """Create a flavor (admin)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='NAME')
        parser.add_argument('id', metavar='ID',
                            help='Flavor ID, or "auto" for a generated one')
        parser.add_argument('ram', metavar='RAM_MB', type=int)
        parser.add_argument('disk', metavar='DISK_GB', type=int)
        parser.add_argument('vcpus', metavar='VCPUS', type=int)
        parser.add_argument('--ephemeral', type=int, default=0,
                            metavar='GB')
        parser.add_argument('--swap', type=int, default=0, metavar='MB')
        parser.add_argument('--rxtx-factor', type=float, default=1.0)
        parser.add_argument('--is-public', default='true',
                            choices=['true', 'false'])
        parser.add_argument('--description', help='(2.55+)')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        a = parsed_args
        flavor: dict[str, Any] = {
            'name': a.name, 'ram': a.ram, 'disk': a.disk, 'vcpus': a.vcpus,
            'id': None if a.id == 'auto' else a.id,
            'OS-FLV-EXT-DATA:ephemeral': a.ephemeral, 'swap': a.swap,
            'rxtx_factor': a.rxtx_factor,
            'os-flavor-access:is_public': a.is_public == 'true'}
        if a.description is not None:
            flavor['description'] = a.description
        created = self.client.compute('POST', '/flavors',
                                      json={'flavor': flavor})
        return common.show_dict(created['flavor'])


class FlavorDelete(common.Command):
    """Delete flavors (admin)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('flavors', metavar='FLAVOR', nargs='+')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        for ref in parsed_args.flavors:
            flavor = common.find_flavor(self.client, ref)
            self.client.compute('DELETE', f"/flavors/{flavor['id']}")
        return 0


class FlavorKey(common.Command):
    """Set or unset extra specs of a flavor (admin)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        _flavor_arg(parser)
        parser.add_argument('action', choices=['set', 'unset'])
        parser.add_argument('specs', metavar='KEY[=VALUE]', nargs='+')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        flavor = common.find_flavor(self.client, parsed_args.flavor)
        path = f"/flavors/{flavor['id']}/os-extra_specs"
        if parsed_args.action == 'set':
            self.client.compute('POST', path, json={
                'extra_specs': common.parse_key_values(
                    parsed_args.specs, 'flavor-key set')})
        else:
            for key in parsed_args.specs:
                self.client.compute('DELETE', f'{path}/{key}')
        return 0


class FlavorAccessList(common.Lister):
    """List the projects that may use a private flavor."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        _flavor_arg(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        flavor = common.find_flavor(self.client, parsed_args.flavor)
        access = self.client.compute(
            'GET', f"/flavors/{flavor['id']}/os-flavor-access"
        )['flavor_access']
        return (['Flavor ID', 'Tenant ID'],
                common.rows(access, ['flavor_id', 'tenant_id']))


class _FlavorAccessChange(FlavorAccessList):
    action = ''

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('project', metavar='PROJECT_ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        flavor = common.find_flavor(self.client, parsed_args.flavor)
        access = self.client.compute(
            'POST', f"/flavors/{flavor['id']}/action",
            json={self.action: {'tenant': parsed_args.project}}
        )['flavor_access']
        return (['Flavor ID', 'Tenant ID'],
                common.rows(access, ['flavor_id', 'tenant_id']))


class FlavorAccessAdd(_FlavorAccessChange):
    """Let a project use a private flavor (admin)."""

    action = 'addTenantAccess'


class FlavorAccessRemove(_FlavorAccessChange):
    """Stop a project from using a private flavor (admin)."""

    action = 'removeTenantAccess'


COMMANDS = {
    'flavor-list': FlavorList, 'flavor-show': FlavorShow,
    'flavor-create': FlavorCreate, 'flavor-delete': FlavorDelete,
    'flavor-key': FlavorKey, 'flavor-access-list': FlavorAccessList,
    'flavor-access-add': FlavorAccessAdd,
    'flavor-access-remove': FlavorAccessRemove,
}
