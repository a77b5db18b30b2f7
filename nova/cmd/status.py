"""nova-status: ``upgrade check`` tells an operator whether this node's
configuration and the cloud's database are ready for this release.

Exit codes (oslo.upgradecheck): 0 all good, 1 warnings, 2 a failure that
must be fixed, 255 the check itself crashed.
"""

from __future__ import annotations

import sys

from oslo_config import cfg
from oslo_upgradecheck import upgradecheck

from nova import context as nova_context
from nova import launcher
from nova import servicegroup
from nova.conf import defaults
from nova.i18n import _

CONF = cfg.CONF
Code = upgradecheck.Code
Result = upgradecheck.Result


class Checks(upgradecheck.UpgradeCommands):

    def _check_database(self) -> Result:
        if not CONF.database.connection:
            return Result(Code.FAILURE, _(
                '[database] connection is not set.'))
        from nova.db import migration
        try:
            current = migration.db_version()
        except Exception as exc:  # noqa: BLE001 - report, do not crash
            return Result(Code.FAILURE, _(
                'Cannot read the database schema version: %s') % exc)
        head = migration.head()
        if current != head:
            return Result(Code.FAILURE, _(
                'The database schema is at %(cur)s, this release needs '
                '%(head)s: run "nova-manage db sync".')
                % {'cur': current or 'nothing', 'head': head})
        return Result(Code.SUCCESS)

    def _check_services(self) -> Result:
        from nova.db.api import services as services_db
        try:
            services = services_db.service_get_all(
                nova_context.get_admin_context())
        except Exception as exc:  # noqa: BLE001 - report, do not crash
            return Result(Code.FAILURE, _(
                'Cannot list services (%s): is the database reachable '
                'and synced?') % type(exc).__name__)
        computes = [s for s in services if s['binary'] == 'nova-compute']
        problems = []
        if not computes:
            problems.append(_('No nova-compute service is registered: no '
                              'server can be booted.'))
        old = sorted(f"{s['binary']} on {s['host']}" for s in services
                     if (s.get('version') or 0) <
                     servicegroup.SERVICE_VERSION)
        if old:
            problems.append(_('Services older than this release: %s.')
                            % ', '.join(old))
        down = sorted(f"{s['binary']} on {s['host']}" for s in services
                      if not s.get('disabled') and
                      not servicegroup.is_up(s))
        if down:
            problems.append(_('Services down: %s.') % ', '.join(down))
        if problems:
            return Result(Code.WARNING, ' '.join(problems))
        return Result(Code.SUCCESS)

    def _check_configuration(self) -> Result:
        problems = []
        if CONF.api.auth_strategy == 'noauth2':
            problems.append(_('[api] auth_strategy is noauth2, which '
                              'trusts any token: development only.'))
        if (CONF.transport_url or '').startswith('fake:'):
            problems.append(_('transport_url is fake://, which only '
                              'works inside nova-all.'))
        if problems:
            return Result(Code.WARNING, ' '.join(problems))
        return Result(Code.SUCCESS)

    _upgrade_checks = (
        (_('Database schema'), _check_database),
        (_('Services'), _check_services),
        (_('Configuration'), _check_configuration),
    )


def main(argv: list[str] | None = None) -> int:
    defaults.prepare(CONF)
    launcher.register_opts(CONF)
    argv = sys.argv[1:] if argv is None else argv
    return upgradecheck.main(CONF, project='nova', upgrade_command=Checks(),
                             argv=argv)


if __name__ == '__main__':
    sys.exit(main())
