"""Policies of servers/{server_id}/metadata (upstream rule names)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:server-metadata:%s'
_PATH = '/servers/{server_id}/metadata'


def _rule(name: str, check: str, description: str, method: str,
          path: str) -> policy.DocumentedRuleDefault:
    return policy.DocumentedRuleDefault(
        name=BASE % name, check_str=check, description=description,
        operations=[{'method': method, 'path': path}])


rules = [
    _rule('index', base.PROJECT_READER_OR_ADMIN,
          "List a server's metadata", 'GET', _PATH),
    _rule('show', base.PROJECT_READER_OR_ADMIN,
          'Show one metadata item of a server', 'GET', _PATH + '/{key}'),
    _rule('create', base.PROJECT_MEMBER_OR_ADMIN,
          "Add or change items of a server's metadata", 'POST', _PATH),
    _rule('update_all', base.PROJECT_MEMBER_OR_ADMIN,
          "Replace a server's metadata", 'PUT', _PATH),
    _rule('update', base.PROJECT_MEMBER_OR_ADMIN,
          'Set one metadata item of a server', 'PUT', _PATH + '/{key}'),
    _rule('delete', base.PROJECT_MEMBER_OR_ADMIN,
          'Delete one metadata item of a server', 'DELETE',
          _PATH + '/{key}'),
]


def list_rules() -> list:
    return rules
