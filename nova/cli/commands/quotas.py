"""Quotas, limits, usage and API versions."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from nova.cli import common
from nova.cli import errors

QUOTA_OPTIONS = ('instances', 'cores', 'ram', 'key_pairs', 'metadata_items',
                 'server_groups', 'server_group_members', 'injected_files',
                 'injected_file_content_bytes', 'injected_file_path_bytes')


def _project(cmd: common.ClientMixin, given: str | None) -> str:
    project = given or cmd.client.project_id
    if not project:
        raise errors.CommandError(
            'ERROR: cannot tell which project: give --tenant PROJECT_ID')
    return project


def _quota_table(quota_set: dict[str, Any]) -> Any:
    items = sorted((k, v) for k, v in quota_set.items() if k != 'id')
    if items and isinstance(items[0][1], dict):
        return (['Quota', 'In Use', 'Reserved', 'Limit'],
                [(k, v.get('in_use'), v.get('reserved'), v.get('limit'))
                 for k, v in items])
    return ['Quota', 'Limit'], items


class QuotaShow(common.Lister):
    """Show a project's (or a user's) quotas."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--tenant', metavar='PROJECT_ID',
                            help='Default: the current project')
        parser.add_argument('--user', metavar='USER_ID')
        parser.add_argument('--detail', action='store_true',
                            help='Also what is in use and reserved')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        project = _project(self, parsed_args.tenant)
        path = f'/os-quota-sets/{project}'
        if parsed_args.detail:
            path += '/detail'
        quota = self.client.compute('GET', path, params={
            'user_id': parsed_args.user})['quota_set']
        return _quota_table(quota)


class QuotaDefaults(common.Lister):
    """Show the default quotas."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--tenant', metavar='PROJECT_ID')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        project = _project(self, parsed_args.tenant)
        return _quota_table(self.client.compute(
            'GET', f'/os-quota-sets/{project}/defaults')['quota_set'])


class QuotaUpdate(common.Lister):
    """Change a project's (or a user's) quotas (admin)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('tenant', metavar='PROJECT_ID')
        parser.add_argument('--user', metavar='USER_ID')
        for name in QUOTA_OPTIONS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name,
                                type=int, metavar='N')
        parser.add_argument('--force', action='store_true',
                            help='Even below what is in use')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        quota: dict[str, Any] = {
            name: getattr(parsed_args, name) for name in QUOTA_OPTIONS
            if getattr(parsed_args, name) is not None}
        if not quota:
            raise errors.CommandError('ERROR: give at least one quota, '
                                      'e.g. --instances 20')
        if parsed_args.force:
            quota['force'] = True
        updated = self.client.compute(
            'PUT', f'/os-quota-sets/{parsed_args.tenant}',
            params={'user_id': parsed_args.user},
            json={'quota_set': quota})['quota_set']
        return _quota_table(updated)


def _used_key(max_key: str) -> tuple[str, str]:
    name = max_key.removeprefix('maxTotal').removeprefix('max')
    name = {'RAMSize': 'RAM'}.get(name, name)
    return name, f'total{name}Used'


class Limits(common.Lister):
    """Show absolute limits and what is used of them."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--tenant', metavar='PROJECT_ID',
                            help='Another project\'s limits (admin)')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        absolute = self.client.compute('GET', '/limits', params={
            'tenant_id': parsed_args.tenant})['limits']['absolute']
        rows = []
        for key in sorted(absolute):
            if key.startswith('max'):
                name, used = _used_key(key)
                rows.append((name, absolute.get(used, '-'), absolute[key]))
        return ['Name', 'Used', 'Max'], rows


class UsageList(common.Lister):
    """Usage of every project over a period (admin)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--start', metavar='YYYY-MM-DD',
                            help='Default: four weeks ago')
        parser.add_argument('--end', metavar='YYYY-MM-DD',
                            help='Default: now')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        now = datetime.datetime.now(datetime.UTC).replace(
            tzinfo=None, microsecond=0)
        start = _date(parsed_args.start, now - datetime.timedelta(weeks=4))
        end = _date(parsed_args.end, now)
        usages = self.client.compute_pages(
            '/os-simple-tenant-usage', 'tenant_usages',
            {'start': start, 'end': end, 'detailed': '1'})
        rows = [(u.get('tenant_id'), len(u.get('server_usages') or [])
                 or '-', _round(u.get('total_memory_mb_usage')),
                 _round(u.get('total_vcpus_usage')),
                 _round(u.get('total_local_gb_usage')))
                for u in usages]
        return (['Tenant ID', 'Servers', 'RAM MiB-Hours', 'CPU Hours',
                 'Disk GiB-Hours'], rows)


def _date(text: str | None, default: datetime.datetime) -> str:
    if not text:
        return default.isoformat()
    try:
        return datetime.datetime.fromisoformat(text).isoformat()
    except ValueError:
        raise errors.CommandError(
            f'ERROR: invalid date {text!r}: use YYYY-MM-DD') from None


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value


class VersionList(common.Lister):
    """List the API versions the server offers, and the one in use."""

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        rows = [(v.get('id'), v.get('status'), v.get('updated'),
                 v.get('min_version'), v.get('version'))
                for v in self.client.root_versions()]
        print(f'Microversion in use: {self.client.api_version} (client '
              f'supports up to {common.http.CLIENT_MAX_VERSION})',
              file=self.app.stderr)
        return ['Id', 'Status', 'Updated', 'Min Version', 'Max Version'], rows


COMMANDS = {
    'quota-show': QuotaShow, 'quota-defaults': QuotaDefaults,
    'quota-update': QuotaUpdate, 'limits': Limits, 'usage-list': UsageList,
    'version-list': VersionList,
}
