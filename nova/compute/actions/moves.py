"""Evacuate and live-migrate: the API half. Both are admin actions by
default; conductor picks the destination (nova/conductor/tasks/
evacuate.py) unless the request names one.
"""

from __future__ import annotations

import secrets
from typing import Any

from nova import exception
from nova import servicegroup
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
