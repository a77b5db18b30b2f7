"""Migrations: records of instance moves (resize, migrate, evacuate...)."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from oslo_utils import uuidutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils

# A migration in one of these states holds no resources any more.
FINISHED_STATUSES = ('confirmed', 'reverted', 'error', 'failed',
                     'completed', 'cancelled', 'done')

_EXACT_FILTERS = ('instance_uuid', 'status', 'migration_type',
                  'source_compute', 'dest_compute', 'source_node',
                  'dest_node', 'hidden', 'project_id', 'user_id')


def _get(context: Any, migration_id: Any, *criteria: Any
         ) -> models.Migration:
    stmt = utils.filter_deleted(
        sa.select(models.Migration).where(*criteria), models.Migration,
        context.read_deleted)
    row = context.session.scalars(stmt).first()
    if row is None:
        raise exception.MigrationNotFound(migration_id=migration_id)
    return row


@engine.writer
def migration_create(context: Any, values: Mapping[str, Any]
                     ) -> dict[str, Any]:
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    row = models.Migration(**values)
    context.session.add(row)
    utils.flush(context.session, lambda: exception.Duplicate(
        resource='Migration', name=values['uuid']))
    return row.to_dict()


@engine.reader
def migration_get(context: Any, migration_id: int) -> dict[str, Any]:
    return _get(context, migration_id,
                models.Migration.id == migration_id).to_dict()


@engine.reader
def migration_get_by_uuid(context: Any, uuid: str) -> dict[str, Any]:
    return _get(context, uuid, models.Migration.uuid == uuid).to_dict()


@engine.reader
def migration_get_by_instance_and_status(context: Any, instance_uuid: str,
                                         status: str) -> dict[str, Any]:
    """The newest migration of the instance in ``status``."""
    table = models.Migration
    stmt = utils.filter_deleted(
        sa.select(table).where(table.instance_uuid == instance_uuid,
                               table.status == status)
        .order_by(table.id.desc()), table, context.read_deleted)
    row = context.session.scalars(stmt).first()
    if row is None:
        raise exception.MigrationNotFound(migration_id=instance_uuid)
    return row.to_dict()


def _in_progress() -> Any:
    return sa.and_(models.Migration.deleted == 0,
                   models.Migration.status.not_in(FINISHED_STATUSES))


@engine.reader
def migration_get_in_progress_by_host_and_node(context: Any, host: str,
                                               node: str
                                               ) -> list[dict[str, Any]]:
    """Unfinished migrations into or out of a node: the resource tracker
    must count them."""
    table = models.Migration
    stmt = (sa.select(table)
            .where(_in_progress(),
                   sa.or_(sa.and_(table.source_compute == host,
                                  table.source_node == node),
                          sa.and_(table.dest_compute == host,
                                  table.dest_node == node)))
            .order_by(table.id))
    return utils.rows_to_dicts(context.session.scalars(stmt).all())


@engine.reader
def migration_get_in_progress_by_instance(
        context: Any, instance_uuid: str,
        migration_type: str | None = None) -> list[dict[str, Any]]:
    table = models.Migration
    stmt = (sa.select(table)
            .where(_in_progress(), table.instance_uuid == instance_uuid)
            .order_by(table.id))
    if migration_type is not None:
        stmt = stmt.where(table.migration_type == migration_type)
    return utils.rows_to_dicts(context.session.scalars(stmt).all())


@engine.reader
def migration_get_all_by_filters(
        context: Any, filters: Mapping[str, Any] | None = None,
        sort_keys: Sequence[str] | None = None,
        sort_dirs: Sequence[str] | None = None, limit: int | None = None,
        marker: str | None = None) -> list[dict[str, Any]]:
    """Migrations matching ``filters``, newest first by default.

    ``filters``: exact matches on ``_EXACT_FILTERS`` (a list means any
    of), ``host`` (source or destination), ``changes-since``. ``marker``
    is a migration uuid.
    """
    filters = dict(filters or {})
    table = models.Migration
    unknown = set(filters) - {*_EXACT_FILTERS, 'host', 'changes-since',
                              'changes-before'}
    if unknown:
        raise exception.Invalid(
            reason=f'unsupported migration filters: {sorted(unknown)}')
    stmt = utils.filter_deleted(sa.select(table), table,
                                context.read_deleted)
    for key in _EXACT_FILTERS:
        if key in filters:
            value = filters[key]
            column = getattr(table, key)
            stmt = stmt.where(column.in_(value)
                              if isinstance(value, (list, tuple, set))
                              else column == value)
    if 'host' in filters:
        stmt = stmt.where(sa.or_(table.source_compute == filters['host'],
                                 table.dest_compute == filters['host']))
    if 'changes-since' in filters:
        stmt = stmt.where(table.updated_at >= filters['changes-since'])
    if 'changes-before' in filters:
        stmt = stmt.where(table.updated_at <= filters['changes-before'])
    marker_row = None
    if marker is not None:
        marker_row = context.session.scalars(
            sa.select(table).where(table.uuid == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    sort_keys = list(sort_keys or ['created_at'])
    sort_dirs = list(sort_dirs or ['desc'] * len(sort_keys))
    stmt = utils.paginate(stmt, table, limit, sort_keys, sort_dirs,
                          marker_row)
    return utils.rows_to_dicts(context.session.scalars(stmt).all())


@engine.writer
def migration_update(context: Any, migration_id: int,
                     values: Mapping[str, Any]) -> dict[str, Any]:
    row = _get(context, migration_id, models.Migration.id == migration_id,
               models.Migration.deleted == 0)
    for key, value in values.items():
        setattr(row, key, value)
    context.session.flush()
    return row.to_dict()


@engine.writer
def migration_destroy(context: Any, migration_id: int) -> None:
    """Soft delete: the migration stays listable with read_deleted."""
    table = models.Migration
    result = context.session.execute(
        sa.update(table).where(table.id == migration_id, table.deleted == 0)
        .values(**utils.soft_delete_values(table)))
    if result.rowcount == 0:
        raise exception.MigrationNotFound(migration_id=migration_id)
