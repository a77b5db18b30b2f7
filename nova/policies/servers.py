"""Policies of servers (upstream rule names)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:servers:%s'


def _rule(name: str, check: str, description: str, method: str,
          path: str) -> policy.DocumentedRuleDefault:
    return policy.DocumentedRuleDefault(
        name=name, check_str=check, description=description,
        operations=[{'method': method, 'path': path}])


rules = [
    _rule(BASE % 'index', base.PROJECT_READER_OR_ADMIN, 'List servers',
          'GET', '/servers'),
    _rule(BASE % 'detail', base.PROJECT_READER_OR_ADMIN,
          'List servers with details', 'GET', '/servers/detail'),
    _rule(BASE % 'index:get_all_tenants', base.ADMIN,
          'List servers of all projects', 'GET', '/servers'),
    _rule(BASE % 'detail:get_all_tenants', base.ADMIN,
          'List servers of all projects with details', 'GET',
          '/servers/detail'),
    _rule(BASE % 'allow_all_filters', base.ADMIN,
          'Filter server lists by every field (non-admins get a safe '
          'subset)', 'GET', '/servers'),
    _rule(BASE % 'show', base.PROJECT_READER_OR_ADMIN, 'Show a server',
          'GET', '/servers/{server_id}'),
    _rule(BASE % 'show:host_status', base.ADMIN,
          'Show host_status in server details', 'GET',
          '/servers/{server_id}'),
    _rule(BASE % 'create', base.PROJECT_MEMBER_OR_ADMIN, 'Create a server',
          'POST', '/servers'),
    _rule(BASE % 'create:forced_host', base.ADMIN,
          'Create a server on a given host (zone:host[:node])', 'POST',
          '/servers'),
    _rule('compute:servers:create:requested_destination', base.ADMIN,
          'Create a server on a given host and/or node (2.74)', 'POST',
          '/servers'),
    _rule('compute:server:topology:index', base.PROJECT_READER_OR_ADMIN,
          'Show the NUMA topology of a server (2.78)', 'GET',
          '/servers/{server_id}/topology'),
    _rule('compute:server:topology:host:index', base.ADMIN,
          'Show the host NUMA cells and CPU pinning of a server (2.78)',
          'GET', '/servers/{server_id}/topology'),
    _rule(BASE % 'create:attach_network', base.PROJECT_MEMBER_OR_ADMIN,
          'Create a server with requested networks', 'POST', '/servers'),
    _rule(BASE % 'update', base.PROJECT_MEMBER_OR_ADMIN, 'Update a server',
          'PUT', '/servers/{server_id}'),
    _rule(BASE % 'delete', base.PROJECT_MEMBER_OR_ADMIN, 'Delete a server',
          'DELETE', '/servers/{server_id}'),
    _rule('os_compute_api:os-extended-server-attributes', base.ADMIN,
          'Show host and hypervisor attributes of servers', 'GET',
          '/servers/{server_id}'),
    _rule('os_compute_api:images', base.PROJECT_READER_OR_ADMIN,
          'The /images proxy (up to 2.35)', 'GET', '/images'),
    _rule('os_compute_api:ips:index', base.PROJECT_READER_OR_ADMIN,
          'List the addresses of a server', 'GET',
          '/servers/{server_id}/ips'),
    _rule('os_compute_api:ips:show', base.PROJECT_READER_OR_ADMIN,
          'List the addresses of a server on one network', 'GET',
          '/servers/{server_id}/ips/{network_label}'),
]


def list_rules() -> list:
    return rules
