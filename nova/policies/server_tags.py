"""Policies of servers/{server_id}/tags (upstream rule names)."""

from oslo_policy import policy

from nova.policies import base

BASE = 'os_compute_api:os-server-tags:%s'
_PATH = '/servers/{server_id}/tags'


def _rule(name: str, check: str, description: str, method: str,
          path: str) -> policy.DocumentedRuleDefault:
    return policy.DocumentedRuleDefault(
        name=BASE % name, check_str=check, description=description,
        operations=[{'method': method, 'path': path}])


rules = [
    _rule('index', base.PROJECT_READER_OR_ADMIN, "List a server's tags",
          'GET', _PATH),
    _rule('show', base.PROJECT_READER_OR_ADMIN,
          'Check whether a server has a tag', 'GET', _PATH + '/{tag}'),
    _rule('update', base.PROJECT_MEMBER_OR_ADMIN, 'Add a tag to a server',
          'PUT', _PATH + '/{tag}'),
    _rule('update_all', base.PROJECT_MEMBER_OR_ADMIN,
          "Replace a server's tags", 'PUT', _PATH),
    _rule('delete', base.PROJECT_MEMBER_OR_ADMIN,
          'Remove a tag from a server', 'DELETE', _PATH + '/{tag}'),
    _rule('delete_all', base.PROJECT_MEMBER_OR_ADMIN,
          'Remove all tags of a server', 'DELETE', _PATH),
]


def list_rules() -> list:
    return rules
