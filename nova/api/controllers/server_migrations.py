"""/servers/{server_id}/migrations: live migrations under way (2.23+)."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import formats
from nova.api import microversion as mv
from nova.api import wsgi
from nova.compute import instance_actions as compute_actions
from nova.compute import migrations as compute_migrations
from nova.i18n import _

POLICY = 'os_compute_api:servers:migrations:%s'
_FIELDS = ('dest_compute', 'dest_host', 'dest_node', 'id',
           'source_compute', 'source_node', 'status')
_PROGRESS = ('memory_total', 'memory_processed', 'memory_remaining',
             'disk_total', 'disk_processed', 'disk_remaining')


class ServerMigrationsController:

    @wsgi.versions(min_version=mv.MIGRATION_IDS)
    def index(self, req: wsgi.Request, server_id: str) -> dict[str, Any]:
        context = req.context
        instance = compute_actions.get_instance(context, server_id)
        policy.authorize(context, POLICY % 'index',
                         target={'project_id': instance['project_id']})
        migrations = compute_migrations.list_live_in_progress(context,
                                                              server_id)
        return {'migrations': [self._view(req, m) for m in migrations]}

    @wsgi.versions(min_version=mv.MIGRATION_IDS)
    def show(self, req: wsgi.Request, server_id: str,
             id: str) -> dict[str, Any]:
        context = req.context
        instance = compute_actions.get_instance(context, server_id)
        policy.authorize(context, POLICY % 'show',
                         target={'project_id': instance['project_id']})
        if not id.isdigit():
            raise exception.Invalid(
                reason=_('Migration id %s must be an integer.') % id)
        migration = compute_migrations.get_live_in_progress(
            context, server_id, int(id))
        return {'migration': self._view(req, migration)}

    @staticmethod
    def _view(req: wsgi.Request, migration: dict[str, Any]
              ) -> dict[str, Any]:
        view = {field: migration.get(field) for field in _FIELDS}
        view['server_uuid'] = migration['instance_uuid']
        view['created_at'] = formats.isotime_us(migration['created_at'])
        view['updated_at'] = formats.isotime_us(migration['updated_at'])
        for field in _PROGRESS:
            view[f'{field}_bytes'] = migration.get(field)
        if req.is_at_least(mv.MIGRATION_PAGING):
            view['uuid'] = migration['uuid']
        if req.is_at_least(mv.MIGRATION_OWNER):
            view['user_id'] = migration.get('user_id')
            view['project_id'] = migration.get('project_id')
        return view
