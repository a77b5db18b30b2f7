"""Evacuate and live-migrate: the API half. Both are admin actions by
default; conductor picks the destination (nova/conductor/tasks/
evacuate.py) unless the request names one.
"""

from __future__ import annotations

import secrets
from typing import Any

from nova import exception
from nova import servicegroup
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import transitions
from nova.compute.actions import common
from nova.conductor import rpcapi as conductor_rpcapi
from nova.db.api import migrations as migrations_db
from nova.db.api import services as services_db
from nova.i18n import _


def _check_host(context: Any, host: str | None,
                instance: dict[str, Any]) -> None:
    if not host:
        return
    service = common.known_host(context, host)
    if host == instance.get('host'):
        raise exception.Invalid(reason=_(
            'The target host %s is the host the server is on already.'
        ) % host)
    if not servicegroup.is_up(service):
        raise exception.Invalid(reason=_(
            'The compute service of host %s is down.') % host)


def _start(context: Any, instance: dict[str, Any], action: str,
           migration_type: str, status: str) -> dict[str, Any]:
    created: dict[str, Any] = {}

    def record(ctx: Any, claimed: dict[str, Any]) -> None:
        created.update(migrations_db.migration_create(ctx, {
            'instance_uuid': claimed['uuid'],
            'source_compute': claimed['host'],
            'source_node': claimed['node'],
            'old_instance_type_id': claimed['instance_type_id'],
            'new_instance_type_id': claimed['instance_type_id'],
            'status': status, 'migration_type': migration_type,
            'user_id': ctx.user_id, 'project_id': ctx.project_id}))

    common.begin(context, instance, action, needs_compute=False,
                 then=record)
    return created


def evacuate(context: Any, instance: dict[str, Any], host: str | None,
             admin_password: str | None, stopped: bool) -> str:
    """Rebuild elsewhere a server whose host is down; its password."""
    source = instance.get('host')
    if not source:
        raise exception.Conflict(reason=_('the server has no host'))
    try:
        service = services_db.service_get_by_compute_host(context, source)
        if servicegroup.is_up(service) and not service.get('forced_down'):
            raise exception.Conflict(reason=_(
                'Compute service of %s is still in use.') % source)
    except exception.ComputeHostNotFound:
        pass  # the host is gone altogether: evacuating is the way out
    _check_host(context, host, instance)
    password = admin_password or secrets.token_urlsafe(9)
    migration = _start(context, instance, 'evacuate', 'evacuation',
                       'accepted')
    conductor_rpcapi.ComputeTaskAPI().evacuate_server(
        context, instance['uuid'], migration['id'], host, password, stopped)
    return password


def live_migrate(context: Any, instance: dict[str, Any], host: str | None,
                 block_migration: Any) -> None:
    common.require_compute(context, instance)
    _check_host(context, host, instance)
    migration = _start(context, instance, 'live-migration',
                       'live-migration', 'accepted')
    conductor_rpcapi.ComputeTaskAPI().live_migrate_instance(
        context, instance['uuid'], migration['id'], host, block_migration)


def live_migration_force_complete(context: Any, instance: dict[str, Any],
                                  migration_id: int) -> None:
    """Ask the source compute to finish a running live migration now."""
    transitions.check(context, instance, 'live_migration_force_complete')
    migration = _live_migration(context, instance, migration_id,
                                ('running',))
    common.begin(context, instance, 'live_migration_force_complete')
    compute_rpcapi.ComputeAPI().live_migration_force_complete(
        context, migration, instance)


def live_migration_abort(context: Any, instance: dict[str, Any],
                         migration_id: int,
                         abortable: tuple[str, ...]) -> None:
    """Ask the source compute to cancel a live migration in one of the
    ``abortable`` statuses (which depend on the microversion)."""
    transitions.check(context, instance, 'live_migration_abort')
    migration = _live_migration(context, instance, migration_id, abortable)
    common.begin(context, instance, 'live_migration_abort')
    compute_rpcapi.ComputeAPI().live_migration_abort(context, migration,
                                                     instance)


def _live_migration(context: Any, instance: dict[str, Any],
                    migration_id: int,
                    statuses: tuple[str, ...]) -> dict[str, Any]:
    """The instance's live migration (404), in one of ``statuses`` (400),
    on a compute that can be asked (409)."""
    try:
        migration = migrations_db.migration_get(context.elevated(),
                                                migration_id)
    except exception.MigrationNotFound:
        migration = None
    if migration is None or migration['instance_uuid'] != instance['uuid']:
        raise exception.NotFound(message=_(
            'Migration %(id)s not found for server %(uuid)s.') % {
                'id': migration_id, 'uuid': instance['uuid']})
    if migration['migration_type'] != 'live-migration':
        raise exception.Invalid(reason=_(
            'Migration %(id)s is a %(type)s, not a live migration.') % {
                'id': migration_id, 'type': migration['migration_type']})
    if migration['status'] not in statuses:
        raise exception.Invalid(reason=_(
            'Migration %(id)s is %(status)s; this is allowed only while it '
            'is %(allowed)s.') % {'id': migration_id,
                                   'status': migration['status'],
                                   'allowed': ' or '.join(statuses)})
    if not compute_rpcapi.ComputeAPI().can_control_live_migrations():
        raise exception.Conflict(reason=_(
            'the compute services are pinned to an RPC version that '
            'cannot force or abort live migrations ([upgrade_levels] '
            'compute)'))
    return migration
