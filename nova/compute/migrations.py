"""API-side reads of migrations (os-migrations, server migrations)."""

from __future__ import annotations

import datetime
from typing import Any

from nova import context as nova_context
from nova import exception
from nova.db.api import migrations as migrations_db
from nova.i18n import _

LIVE_MIGRATION = 'live-migration'
# Live migrations in these states can still be watched (and, by the
# actions of 2.22/2.24, forced or aborted).
LIVE_IN_PROGRESS = ('queued', 'preparing', 'running', 'post-migrating')
FILTERS = ('host', 'status', 'instance_uuid', 'migration_type',
           'source_compute')
# From 2.80.
OWNER_FILTERS = ('user_id', 'project_id')


def list_migrations(context: nova_context.RequestContext,
                    filters: dict[str, Any] | None = None,
                    limit: int | None = None, marker: str | None = None,
                    changes_since: datetime.datetime | None = None,
                    changes_before: datetime.datetime | None = None
                    ) -> list[dict[str, Any]]:
    """Migrations newest first, hidden ones (internal moves) excluded.

    ``filters`` may hold the keys of ``FILTERS``; ``marker`` is a
    migration uuid (an unknown one is a bad request).
    """
    wanted = {k: v for k, v in (filters or {}).items()
              if k in FILTERS + OWNER_FILTERS}
    wanted['hidden'] = False
    if changes_since is not None:
        wanted['changes-since'] = changes_since
    if changes_before is not None:
        wanted['changes-before'] = changes_before
    try:
        return migrations_db.migration_get_all_by_filters(
            context, wanted, sort_keys=['created_at', 'id'],
            sort_dirs=['desc', 'desc'], limit=limit, marker=marker)
    except exception.MarkerNotFound:
        raise exception.Invalid(
            reason=_('Marker %s could not be found.') % marker) from None


def is_live_in_progress(migration: dict[str, Any]) -> bool:
    return (migration['migration_type'] == LIVE_MIGRATION and
            migration['status'] in LIVE_IN_PROGRESS)


def list_live_in_progress(context: nova_context.RequestContext,
                          instance_uuid: str) -> list[dict[str, Any]]:
    """The instance's live migrations that are still under way."""
    migrations = migrations_db.migration_get_in_progress_by_instance(
        context.elevated(), instance_uuid, migration_type=LIVE_MIGRATION)
    return [m for m in migrations if is_live_in_progress(m)]


def get_live_in_progress(context: nova_context.RequestContext,
                         instance_uuid: str,
                         migration_id: int) -> dict[str, Any]:
    """One live migration of the instance that is still under way."""
    try:
        migration = migrations_db.migration_get(context.elevated(),
                                                migration_id)
    except exception.MigrationNotFound:
        migration = None
    if migration is None or migration['instance_uuid'] != instance_uuid:
        raise exception.MigrationNotFound(migration_id=migration_id)
    if not is_live_in_progress(migration):
        raise exception.NotFound(message=_(
            'In-progress live migration %(id)s is not found for server '
            '%(uuid)s.') % {'id': migration_id, 'uuid': instance_uuid})
    return migration
