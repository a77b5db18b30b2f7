"""/servers/{server_id}/migrations: live migrations under way.

List and show from 2.23; force-complete (2.22) and abort (2.24; also of
queued and preparing ones from 2.65) ask the source compute, which
records them as instance actions.
"""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import formats
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import migrations as schemas
from nova.compute import instance_actions as compute_actions
from nova.compute import migrations as compute_migrations
from nova.compute.actions import moves
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
        migration = compute_migrations.get_live_in_progress(
            context, server_id, _migration_id(id))
        return {'migration': self._view(req, migration)}

    @wsgi.versions(min_version=mv.LIVE_MIGRATION_FORCE_COMPLETE)
    @wsgi.response(202)
    @validation.schema(schemas.force_complete)
    def action(self, req: wsgi.Request, server_id: str, id: str,
               body: dict[str, Any]) -> None:
        context = req.context
        instance = compute_actions.get_instance(context, server_id)
        policy.authorize(context, POLICY % 'force_complete',
                         target={'project_id': instance['project_id']})
        moves.live_migration_force_complete(context, instance,
                                            _migration_id(id))

    @wsgi.versions(min_version=mv.LIVE_MIGRATION_ABORT)
    @wsgi.response(202)
    def delete(self, req: wsgi.Request, server_id: str, id: str) -> None:
        context = req.context
        instance = compute_actions.get_instance(context, server_id)
        policy.authorize(context, POLICY % 'delete',
                         target={'project_id': instance['project_id']})
        abortable = (('queued', 'preparing', 'running')
                     if req.is_at_least(mv.ABORT_QUEUED_LIVE_MIGRATION)
                     else ('running',))
        moves.live_migration_abort(context, instance, _migration_id(id),
                                   abortable)

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


def _migration_id(id: str) -> int:
    if not id.isdigit():
        raise exception.Invalid(
            reason=_('Migration id %s must be an integer.') % id)
    return int(id)
