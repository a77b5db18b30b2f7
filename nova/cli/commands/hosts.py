"""Operators' views of hosts: services, hypervisors, zones, migrations."""

from __future__ import annotations

import argparse
from typing import Any

from nova.cli import common
from nova.cli import errors

SERVICE_FIELDS = [('Id', 'id'), ('Binary', 'binary'), ('Host', 'host'),
                  ('Zone', 'zone'), ('Status', 'status'), ('State', 'state'),
                  ('Updated At', 'updated_at'),
                  ('Disabled Reason', 'disabled_reason'),
                  ('Forced Down', 'forced_down')]


class ServiceList(common.Lister):
    """List compute services (admin)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--host')
        parser.add_argument('--binary')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        services = self.client.compute('GET', '/os-services', params={
            'host': parsed_args.host, 'binary': parsed_args.binary}
        )['services']
        return ([t for t, _ in SERVICE_FIELDS],
                common.rows(services, [k for _, k in SERVICE_FIELDS]))


class _ServiceChange(common.ShowOne):
    """Base: change one service, named by id, or by host and binary."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('service', metavar='SERVICE_ID_OR_HOST',
                            help='Service ID (UUID from 2.53), or a host '
                                 'name followed by BINARY')
        parser.add_argument('binary', metavar='BINARY', nargs='?',
                            help='e.g. nova-compute, with a host name')
        self.add_arguments(parser)
        return parser

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Options of this change."""

    def values(self, args: argparse.Namespace) -> dict[str, Any]:
        raise NotImplementedError

    def _service(self, args: argparse.Namespace) -> dict[str, Any]:
        services = self.client.compute('GET', '/os-services')['services']
        if args.binary:
            matches = [s for s in services if s['host'] == args.service
                       and s['binary'] == args.binary]
        else:
            matches = [s for s in services if str(s['id']) == args.service]
        if len(matches) != 1:
            raise errors.CommandError(
                f"ERROR: no service {args.service} {args.binary or ''}"
                .rstrip() + ' (see service-list)')
        return matches[0]

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        service = self._service(parsed_args)
        if self.client.at_least('2.53'):
            updated = self.client.compute(
                'PUT', f"/os-services/{service['id']}",
                json=self.values(parsed_args))['service']
        else:
            updated = self._legacy(service, parsed_args)
        return common.show_dict(updated)

    def _legacy(self, service: dict[str, Any],
                args: argparse.Namespace) -> dict[str, Any]:
        """Before 2.53: PUT /os-services/<verb> with host and binary."""
        values = self.values(args)
        body: dict[str, Any] = {'host': service['host'],
                                'binary': service['binary']}
        if 'forced_down' in values:
            verb, body['forced_down'] = 'force-down', values['forced_down']
        elif values.get('status') == 'enabled':
            verb = 'enable'
        elif values.get('disabled_reason'):
            verb = 'disable-log-reason'
            body['disabled_reason'] = values['disabled_reason']
        else:
            verb = 'disable'
        return self.client.compute('PUT', f'/os-services/{verb}',
                                   json=body)['service']


class ServiceEnable(_ServiceChange):
    """Enable a service: the scheduler may pick its host again."""

    def values(self, args: argparse.Namespace) -> dict[str, Any]:
        return {'status': 'enabled'}


class ServiceDisable(_ServiceChange):
    """Disable a service: the scheduler stops picking its host."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('--reason')

    def values(self, args: argparse.Namespace) -> dict[str, Any]:
        values = {'status': 'disabled'}
        if args.reason:
            values['disabled_reason'] = args.reason
        return values


class ServiceForceDown(_ServiceChange):
    """Mark a service down now (fencing), or clear the mark."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument('--unset', action='store_true',
                            help='Clear the forced-down mark')

    def values(self, args: argparse.Namespace) -> dict[str, Any]:
        return {'forced_down': not args.unset}


class ServiceDelete(common.Command):
    """Delete a service record (and its compute nodes)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('service_id', metavar='SERVICE_ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        self.client.compute('DELETE',
                            f'/os-services/{parsed_args.service_id}')
        return 0


HYPERVISOR_FIELDS = [('ID', 'id'), ('Hypervisor hostname',
                                    'hypervisor_hostname'),
                     ('State', 'state'), ('Status', 'status')]


class HypervisorList(common.Lister):
    """List hypervisors (admin)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--matching', metavar='HOSTNAME',
                            help='Only hypervisors whose name contains this')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        if parsed_args.matching:
            items = _matching(self, parsed_args.matching)
        else:
            items = list(self.client.compute_pages('/os-hypervisors',
                                                   'hypervisors'))
        return ([t for t, _ in HYPERVISOR_FIELDS],
                common.rows(items, [k for _, k in HYPERVISOR_FIELDS]))


def _matching(cmd: common.ClientMixin, pattern: str,
              servers: bool = False) -> list[dict[str, Any]]:
    if cmd.client.at_least('2.53'):
        params: dict[str, Any] = {'hypervisor_hostname_pattern': pattern}
        if servers:
            params['with_servers'] = 'true'
        return cmd.client.compute('GET', '/os-hypervisors',
                                  params=params)['hypervisors']
    suffix = '/servers' if servers else '/search'
    return cmd.client.compute(
        'GET', f'/os-hypervisors/{pattern}{suffix}')['hypervisors']


class HypervisorShow(common.ShowOne):
    """Show a hypervisor (by ID or host name)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('hypervisor', metavar='HYPERVISOR')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        ref = parsed_args.hypervisor
        try:
            found = self.client.compute('GET', f'/os-hypervisors/{ref}')
        except errors.ApiError as exc:
            if exc.status not in (400, 404):
                raise
            match = common.find_by_name(
                self.client, '/os-hypervisors', 'hypervisors', ref,
                'hypervisor', name_field='hypervisor_hostname')
            found = self.client.compute('GET',
                                        f"/os-hypervisors/{match['id']}")
        return common.show_dict(found['hypervisor'])


class HypervisorServers(common.Lister):
    """List the servers on hypervisors whose name matches."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('hostname', metavar='HOSTNAME')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        rows = []
        for hyp in _matching(self, parsed_args.hostname, servers=True):
            for server in hyp.get('servers') or []:
                rows.append((server['uuid'], server['name'], hyp['id'],
                             hyp['hypervisor_hostname']))
        return (['ID', 'Name', 'Hypervisor ID', 'Hypervisor Hostname'],
                rows)


class HypervisorStats(common.ShowOne):
    """Totals over all hypervisors (API removed in 2.88; asked at 2.87)."""

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        version = None if not self.client.at_least('2.88') else '2.87'
        stats = self.client.compute('GET', '/os-hypervisors/statistics',
                                    version=version)
        return common.show_dict(stats['hypervisor_statistics'])


class AvailabilityZoneList(common.Lister):
    """List availability zones (with their hosts, for admins)."""

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        try:
            zones = self.client.compute('GET', '/os-availability-zone/detail')
        except errors.ApiError as exc:
            if exc.status != 403:
                raise
            zones = self.client.compute('GET', '/os-availability-zone')
        rows = []
        for zone in zones['availabilityZoneInfo']:
            available = zone['zoneState'].get('available')
            rows.append((zone['zoneName'],
                         'available' if available else 'not available',
                         ', '.join(sorted(zone.get('hosts') or {}))))
        return ['Name', 'Status', 'Hosts'], rows


MIGRATION_FIELDS = [('Id', 'id'), ('Source Node', 'source_node'),
                    ('Dest Node', 'dest_node'),
                    ('Source Compute', 'source_compute'),
                    ('Dest Compute', 'dest_compute'),
                    ('Status', 'status'), ('Server UUID', 'instance_uuid'),
                    ('Type', 'migration_type'),
                    ('Created At', 'created_at')]


class MigrationList(common.Lister):
    """List migrations (admin)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--host')
        parser.add_argument('--status')
        parser.add_argument('--instance-uuid', metavar='UUID')
        parser.add_argument('--migration-type')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        params = {'host': parsed_args.host, 'status': parsed_args.status,
                  'instance_uuid': parsed_args.instance_uuid,
                  'migration_type': parsed_args.migration_type}
        items = list(self.client.compute_pages('/os-migrations',
                                               'migrations', params))
        return ([t for t, _ in MIGRATION_FIELDS],
                common.rows(items, [k for _, k in MIGRATION_FIELDS]))


COMMANDS = {
    'service-list': ServiceList, 'service-enable': ServiceEnable,
    'service-disable': ServiceDisable,
    'service-force-down': ServiceForceDown,
    'service-delete': ServiceDelete,
    'hypervisor-list': HypervisorList, 'hypervisor-show': HypervisorShow,
    'hypervisor-servers': HypervisorServers,
    'hypervisor-stats': HypervisorStats,
    'availability-zone-list': AvailabilityZoneList,
    'migration-list': MigrationList,
}
