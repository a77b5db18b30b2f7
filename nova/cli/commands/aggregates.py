"""Host aggregates: list, create, show, update, delete, hosts, metadata."""

from __future__ import annotations

import argparse
from typing import Any

from nova.cli import common
from nova.cli import errors

AGGREGATE_FIELDS = [('Id', 'id'), ('Name', 'name'),
                    ('Availability Zone', 'availability_zone')]


def _aggregate(cmd: common.ClientMixin, ref: str) -> dict[str, Any]:
    return common.find_by_name(cmd.client, '/os-aggregates', 'aggregates',
                               ref, 'aggregate')


def _aggregate_parser(parser: argparse.ArgumentParser
                      ) -> argparse.ArgumentParser:
    parser.add_argument('aggregate', metavar='AGGREGATE', help='Name or ID')
    return parser


def _aggregate_details(aggregate: dict[str, Any]) -> Any:
    return common.show_dict(aggregate)


class AggregateList(common.Lister):
    """List host aggregates (admin)."""

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        items = self.client.compute('GET', '/os-aggregates')['aggregates']
        return ([t for t, _ in AGGREGATE_FIELDS],
                common.rows(items, [k for _, k in AGGREGATE_FIELDS]))


class AggregateCreate(common.ShowOne):
    """Create an aggregate (optionally an availability zone)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='NAME')
        parser.add_argument('availability_zone', metavar='ZONE', nargs='?')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        body = {'name': parsed_args.name}
        if parsed_args.availability_zone:
            body['availability_zone'] = parsed_args.availability_zone
        return _aggregate_details(self.client.compute(
            'POST', '/os-aggregates', json={'aggregate': body})['aggregate'])


class AggregateShow(common.ShowOne):
    """Show an aggregate."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        return _aggregate_parser(super().get_parser(prog_name))

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        return _aggregate_details(_aggregate(self, parsed_args.aggregate))


class AggregateDelete(common.Command):
    """Delete an aggregate (it must hold no hosts)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        return _aggregate_parser(super().get_parser(prog_name))

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        aggregate = _aggregate(self, parsed_args.aggregate)
        self.client.compute('DELETE', f"/os-aggregates/{aggregate['id']}")
        return 0


class AggregateUpdate(common.ShowOne):
    """Rename an aggregate or change its availability zone."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = _aggregate_parser(super().get_parser(prog_name))
        parser.add_argument('--name')
        parser.add_argument('--availability-zone', metavar='ZONE')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        aggregate = _aggregate(self, parsed_args.aggregate)
        body = {k: v for k, v in (
            ('name', parsed_args.name),
            ('availability_zone', parsed_args.availability_zone))
            if v is not None}
        if not body:
            raise errors.CommandError(
                'ERROR: give --name and/or --availability-zone')
        return _aggregate_details(self.client.compute(
            'PUT', f"/os-aggregates/{aggregate['id']}",
            json={'aggregate': body})['aggregate'])


class _AggregateAction(common.ShowOne):
    action = ''

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = _aggregate_parser(super().get_parser(prog_name))
        self.add_arguments(parser)
        return parser

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('host', metavar='HOST')

    def body(self, args: argparse.Namespace) -> Any:
        return {'host': args.host}

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        aggregate = _aggregate(self, parsed_args.aggregate)
        return _aggregate_details(self.client.compute(
            'POST', f"/os-aggregates/{aggregate['id']}/action",
            json={self.action: self.body(parsed_args)})['aggregate'])


class AggregateAddHost(_AggregateAction):
    """Add a host to an aggregate."""

    action = 'add_host'


class AggregateRemoveHost(_AggregateAction):
    """Remove a host from an aggregate."""

    action = 'remove_host'


class AggregateSetMetadata(_AggregateAction):
    """Set (KEY=VALUE) or unset (KEY) aggregate metadata."""

    action = 'set_metadata'

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('metadata', metavar='KEY[=VALUE]', nargs='+')

    def body(self, args: argparse.Namespace) -> Any:
        metadata: dict[str, Any] = {}
        for item in args.metadata:
            key, sep, value = item.partition('=')
            metadata[key] = value if sep else None
        return {'metadata': metadata}


COMMANDS = {
    'aggregate-list': AggregateList, 'aggregate-create': AggregateCreate,
    'aggregate-show': AggregateShow, 'aggregate-delete': AggregateDelete,
    'aggregate-update': AggregateUpdate,
    'aggregate-add-host': AggregateAddHost,
    'aggregate-remove-host': AggregateRemoveHost,
    'aggregate-set-metadata': AggregateSetMetadata,
}
