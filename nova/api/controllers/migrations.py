"""os-migrations: every migration of the cloud, for admins."""

from __future__ import annotations

from typing import Any

from nova import policy
from nova.api import changes
from nova.api import formats
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import migrations as schemas
from nova.compute import migrations as compute_migrations

POLICY = 'os_compute_api:os-migrations:index'
_FIELDS = ('dest_compute', 'dest_host', 'dest_node', 'id',
           'instance_uuid', 'new_instance_type_id', 'old_instance_type_id',
           'source_compute', 'source_node', 'status')


class MigrationsController:

    @validation.query_schema(schemas.index_query, None, '2.58')
    @validation.query_schema(schemas.index_query_v259, mv.MIGRATION_PAGING,
                             '2.65')
    @validation.query_schema(schemas.index_query_v266, mv.CHANGES_BEFORE,
                             '2.79')
    @validation.query_schema(schemas.index_query_v280, mv.MIGRATION_OWNER)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY, target={})
        names = compute_migrations.FILTERS
        if req.is_at_least(mv.MIGRATION_OWNER):
            names += compute_migrations.OWNER_FILTERS
        filters = {key: req.GET[key] for key in names if key in req.GET}
        paging = req.is_at_least(mv.MIGRATION_PAGING)
        limit = links.limit_from(req) if paging else None
        since, before = changes.window(req) if paging else (None, None)
        migrations = compute_migrations.list_migrations(
            context, filters, limit=limit,
            marker=req.GET.get('marker') if paging else None,
            changes_since=since, changes_before=before)
        result: dict[str, Any] = {
            'migrations': [self._view(req, m) for m in migrations]}
        if paging:
            next_link = links.next_link(req, 'os-migrations', migrations,
                                        limit, marker_key='uuid')
            if next_link:
                result['migrations_links'] = next_link
        return result

    @staticmethod
    def _view(req: wsgi.Request, migration: dict[str, Any]
              ) -> dict[str, Any]:
        view = {field: migration.get(field) for field in _FIELDS}
        view['created_at'] = formats.isotime_us(migration['created_at'])
        view['updated_at'] = formats.isotime_us(migration['updated_at'])
        if req.is_at_least(mv.MIGRATION_IDS):
            view['migration_type'] = migration['migration_type']
            if compute_migrations.is_live_in_progress(migration):
                view['links'] = links.resource_links(
                    req, f"servers/{migration['instance_uuid']}/migrations",
                    str(migration['id']))
        if req.is_at_least(mv.MIGRATION_PAGING):
            view['uuid'] = migration['uuid']
        if req.is_at_least(mv.MIGRATION_OWNER):
            view['user_id'] = migration.get('user_id')
            view['project_id'] = migration.get('project_id')
        return view
