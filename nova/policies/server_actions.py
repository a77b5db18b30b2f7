"""Policies of server actions (POST /servers/{server_id}/action), with
the upstream rule names so that operators can reuse policy files."""

from oslo_policy import policy

from nova.policies import base

_PATH = '/servers/{server_id}/action'


def _rule(name: str, check: str, action: str) -> policy.DocumentedRuleDefault:
    return policy.DocumentedRuleDefault(
        name=name, check_str=check,
        description=f'{action} a server',
        operations=[{'method': 'POST', 'path': f'{_PATH} ({action})'}])


_MEMBER = base.PROJECT_MEMBER_OR_ADMIN

rules = [
    _rule('os_compute_api:servers:reboot', _MEMBER, 'reboot'),
    _rule('os_compute_api:servers:stop', _MEMBER, 'os-stop'),
    _rule('os_compute_api:servers:start', _MEMBER, 'os-start'),
    _rule('os_compute_api:os-pause-server:pause', _MEMBER, 'pause'),
    _rule('os_compute_api:os-pause-server:unpause', _MEMBER, 'unpause'),
    _rule('os_compute_api:os-suspend-server:suspend', _MEMBER, 'suspend'),
    _rule('os_compute_api:os-suspend-server:resume', _MEMBER, 'resume'),
    _rule('os_compute_api:servers:trigger_crash_dump', _MEMBER,
          'trigger_crash_dump'),
    _rule('os_compute_api:os-lock-server:lock', _MEMBER, 'lock'),
    _rule('os_compute_api:os-lock-server:unlock', _MEMBER, 'unlock'),
    _rule('os_compute_api:os-lock-server:unlock:unlock_override',
          base.ADMIN, 'unlock (a lock set by an admin)'),
    _rule('os_compute_api:os-console-output', _MEMBER,
          'os-getConsoleOutput'),
    _rule('os_compute_api:os-admin-password', _MEMBER, 'changePassword'),
    _rule('os_compute_api:os-admin-actions:reset_state', base.ADMIN,
          'os-resetState'),
    _rule('os_compute_api:os-rescue', _MEMBER, 'rescue'),
    _rule('os_compute_api:os-unrescue', _MEMBER, 'unrescue'),
    _rule('os_compute_api:servers:rebuild', _MEMBER, 'rebuild'),
    _rule('os_compute_api:servers:create_image', _MEMBER, 'createImage'),
    _rule('os_compute_api:os-create-backup', _MEMBER, 'createBackup'),
    _rule('os_compute_api:servers:resize', _MEMBER, 'resize'),
    _rule('os_compute_api:servers:confirm_resize', _MEMBER,
          'confirmResize'),
    _rule('os_compute_api:servers:revert_resize', _MEMBER, 'revertResize'),
    _rule('os_compute_api:os-migrate-server:migrate', base.ADMIN,
          'migrate'),
    _rule('os_compute_api:os-migrate-server:migrate:host', base.ADMIN,
          'migrate (to a given host)'),
    _rule('os_compute_api:os-evacuate', base.ADMIN, 'evacuate'),
    _rule('os_compute_api:os-migrate-server:migrate_live', base.ADMIN,
          'os-migrateLive'),
    policy.DocumentedRuleDefault(
        name='os_compute_api:os-remote-consoles', check_str=_MEMBER,
        description='Get a remote console URL of a server',
        operations=[{'method': 'POST',
                     'path': '/servers/{server_id}/remote-consoles'},
                    {'method': 'POST', 'path': f'{_PATH} (os-getVNCConsole,'
                     ' os-getSerialConsole, os-getSPICEConsole, '
                     'os-getRDPConsole)'}]),
    policy.DocumentedRuleDefault(
        name='os_compute_api:os-console-auth-tokens', check_str=base.ADMIN,
        description='Show the connection details of a console token '
                    '(console proxies)',
        operations=[{'method': 'GET',
                     'path': '/os-console-auth-tokens/{console_token}'}]),
    _rule('os_compute_api:os-shelve:shelve', _MEMBER, 'shelve'),
    _rule('os_compute_api:os-shelve:shelve_offload', base.ADMIN,
          'shelveOffload'),
    _rule('os_compute_api:os-shelve:unshelve', _MEMBER, 'unshelve'),
    _rule('os_compute_api:os-shelve:unshelve_to_host', base.ADMIN,
          'unshelve (to a given host)'),
    _rule('os_compute_api:os-deferred-delete:restore', _MEMBER, 'restore'),
    _rule('os_compute_api:os-deferred-delete:force_delete', _MEMBER,
          'forceDelete'),
]


def list_rules() -> list[policy.DocumentedRuleDefault]:
    return rules
