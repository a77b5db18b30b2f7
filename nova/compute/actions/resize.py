"""Resize, cold migrate, confirm and revert: the API half.

A move starts here (state check, quota for a bigger flavor, the
migration record and the instance action in one transaction), is
scheduled by conductor and carried out by the computes
(nova/compute/flows/resize.py).
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from nova import exception
from nova import quota
from nova.compute import create as create_flow
from nova.compute import flavors as flavors_api
from nova.compute import move_state
from nova.compute import rpcapi as compute_rpcapi
from nova.compute.actions import common
from nova.conductor import rpcapi as conductor_rpcapi
from nova.db.api import instances as instances_db
from nova.db.api import migrations as migrations_db
from nova.i18n import _

CONF = cfg.CONF


def resize(context: Any, instance: dict[str, Any], flavor_ref: str) -> None:
    old = current_flavor(instance)
    try:
        new = flavors_api.get_flavor_by_flavor_id(context, flavor_ref)
    except exception.FlavorNotFound:
        raise exception.Invalid(reason=_(
            'Unable to find flavor %s') % flavor_ref) from None
    if str(new['flavorid']) == str(old.get('flavorid')):
        raise exception.Invalid(reason=_(
            'When resizing, instances must change flavor.'))
    if new['root_gb'] and new['root_gb'] < (old.get('root_gb') or 0):
        raise exception.Invalid(reason=_(
            'Resizing to a smaller disk flavor is not allowed.'))
    snapshot = create_flow.flavor_snapshot(new)
    grow = {k: v for k, v in move_state.quota_deltas(old, snapshot).items()
            if v > 0}
    if grow:
        quota.reserve(context, instance['project_id'], instance['user_id'],
                      grow)
    try:
        _start(context, instance, 'resize', old, snapshot, None,
               CONF.compute.allow_resize_to_same_host)
    except Exception:
        if grow:
            quota.release(context, instance['project_id'],
                          instance['user_id'], grow)
        raise


def migrate(context: Any, instance: dict[str, Any],
            host: str | None) -> None:
    if host:
        common.known_host(context, host)
        if host == instance.get('host'):
            raise exception.Invalid(reason=_(
                'The target host %s is the host the server is on already.'
            ) % host)
    flavor = current_flavor(instance)
    _start(context, instance, 'migrate', flavor, flavor, host, False)


def current_flavor(instance: dict[str, Any]) -> dict[str, Any]:
    flavor = dict((instance.get('extra') or {}).get('flavor') or {})
    for key in ('vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb'):
        flavor.setdefault(key, instance[key])
    flavor.setdefault('id', instance['instance_type_id'])
    return flavor


def _start(context: Any, instance: dict[str, Any], action: str,
           old: dict[str, Any], new: dict[str, Any], host: str | None,
           allow_same_host: bool) -> None:
    created: dict[str, Any] = {}

    def records(ctx: Any, claimed: dict[str, Any]) -> None:
        instances_db.instance_update(ctx, claimed['uuid'], {
            'system_metadata': move_state.start(instance, old, new)})
        created.update(migrations_db.migration_create(ctx, {
            'instance_uuid': claimed['uuid'],
            'source_compute': claimed['host'],
            'source_node': claimed['node'],
            'old_instance_type_id': old.get('id'),
            'new_instance_type_id': new.get('id'),
            'status': 'pre-migrating',
            'migration_type': 'resize' if action == 'resize'
            else 'migration',
            'user_id': ctx.user_id, 'project_id': ctx.project_id}))

    common.begin(context, instance, action, then=records)
    conductor_rpcapi.ComputeTaskAPI().migrate_server(
        context, instance['uuid'], created['id'], new, host,
        allow_same_host)


def _finished_migration(context: Any,
                        instance: dict[str, Any]) -> dict[str, Any]:
    try:
        return migrations_db.migration_get_by_instance_and_status(
            context, instance['uuid'], 'finished')
    except exception.MigrationNotFound:
        raise exception.Invalid(reason=_(
            'Instance has not been resized.')) from None


def confirm(context: Any, instance: dict[str, Any]) -> None:
    migration = _finished_migration(context, instance)
    common.require_compute(context, {**instance,
                                     'host': migration['source_compute']})

    def confirming(ctx: Any, claimed: dict[str, Any]) -> None:
        migrations_db.migration_update(ctx, migration['id'],
                                       {'status': 'confirming'})

    updated = common.begin(context, instance, 'confirmResize',
                           needs_compute=False, then=confirming)
    compute_rpcapi.ComputeAPI().confirm_resize(context, updated, migration)


def revert(context: Any, instance: dict[str, Any]) -> None:
    migration = _finished_migration(context, instance)
    common.require_compute(context, {**instance,
                                     'host': migration['source_compute']})

    def reverting(ctx: Any, claimed: dict[str, Any]) -> None:
        migrations_db.migration_update(ctx, migration['id'],
                                       {'status': 'reverting'})

    updated = common.begin(context, instance, 'revertResize',
                           then=reverting)
    compute_rpcapi.ComputeAPI().revert_resize(context, updated, migration)
