"""Host aggregates, their hosts and metadata.

An aggregate dict carries ``hosts`` (sorted list) and ``metadata``
({key: value}); ``availability_zone`` metadata is what makes an
aggregate an availability zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_utils import uuidutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _to_dict(aggregate: models.Aggregate) -> dict[str, Any]:
    values = aggregate.to_dict()
    values['hosts'] = [row.host for row in aggregate.hosts]
    values['metadata'] = {row.key: row.value
                          for row in aggregate.metadata_items}
    return values


def _get(context: Any, aggregate_id: int) -> models.Aggregate:
    aggregate = context.session.get(models.Aggregate, aggregate_id)
    if aggregate is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return aggregate


@engine.writer
def aggregate_create(context: Any, values: Mapping[str, Any],
                     metadata: Mapping[str, str] | None = None
                     ) -> dict[str, Any]:
    """Create an aggregate from ``name`` (and optionally ``uuid``)."""
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    aggregate = models.Aggregate(**values)
    aggregate.metadata_items = [
        models.AggregateMetadata(key=key, value=value)
        for key, value in (metadata or {}).items()]
    context.session.add(aggregate)
    utils.flush(context.session, lambda: exception.AggregateNameExists(
        aggregate_name=values.get('name')))
    return _to_dict(aggregate)


@engine.reader
def aggregate_get(context: Any, aggregate_id: int) -> dict[str, Any]:
    return _to_dict(_get(context, aggregate_id))


@engine.reader
def aggregate_get_by_uuid(context: Any, uuid: str) -> dict[str, Any]:
    aggregate = context.session.scalars(
        sa.select(models.Aggregate)
        .where(models.Aggregate.uuid == uuid)).first()
    if aggregate is None:
        raise exception.AggregateNotFound(aggregate_id=uuid)
    return _to_dict(aggregate)


@engine.reader
def aggregate_get_all(context: Any) -> list[dict[str, Any]]:
    return [_to_dict(row) for row in context.session.scalars(
        sa.select(models.Aggregate).order_by(models.Aggregate.id))]


@engine.reader
def aggregate_get_by_host(context: Any, host: str, key: str | None = None
                          ) -> list[dict[str, Any]]:
    """Aggregates containing ``host`` (with metadata ``key`` if given)."""
    table = models.Aggregate
    stmt = (sa.select(table)
            .where(table.id.in_(
                sa.select(models.AggregateHost.aggregate_id)
                .where(models.AggregateHost.host == host)))
            .order_by(table.id))
    if key is not None:
        stmt = stmt.where(table.id.in_(
            sa.select(models.AggregateMetadata.aggregate_id)
            .where(models.AggregateMetadata.key == key)))
    return [_to_dict(row) for row in context.session.scalars(stmt)]


@engine.writer
def aggregate_update(context: Any, aggregate_id: int,
                     values: Mapping[str, Any]) -> dict[str, Any]:
    """Rename; ``metadata`` in ``values`` is merged in."""
    values = dict(values)
    metadata = values.pop('metadata', None)
    aggregate = _get(context, aggregate_id)
    for key, value in values.items():
        setattr(aggregate, key, value)
    utils.flush(context.session, lambda: exception.AggregateNameExists(
        aggregate_name=values.get('name')))
    if metadata:
        aggregate_metadata_add(context, aggregate_id, metadata)
        context.session.refresh(aggregate)
    return _to_dict(aggregate)


@engine.writer
def aggregate_delete(context: Any, aggregate_id: int) -> None:
    """Delete an aggregate with its host list and metadata."""
    result = context.session.execute(
        sa.delete(models.Aggregate)
        .where(models.Aggregate.id == aggregate_id))
    if result.rowcount == 0:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)


@engine.writer
def aggregate_host_add(context: Any, aggregate_id: int, host: str
                       ) -> dict[str, Any]:
    aggregate = _get(context, aggregate_id)
    context.session.add(models.AggregateHost(aggregate_id=aggregate_id,
                                             host=host))
    utils.flush(context.session, lambda: exception.AggregateHostExists(
        aggregate_id=aggregate_id, host=host))
    context.session.refresh(aggregate)
    return _to_dict(aggregate)


@engine.writer
def aggregate_host_delete(context: Any, aggregate_id: int, host: str
                          ) -> dict[str, Any]:
    aggregate = _get(context, aggregate_id)
    result = context.session.execute(
        sa.delete(models.AggregateHost)
        .where(models.AggregateHost.aggregate_id == aggregate_id,
               models.AggregateHost.host == host))
    if result.rowcount == 0:
        raise exception.AggregateHostNotFound(aggregate_id=aggregate_id,
                                              host=host)
    context.session.refresh(aggregate)
    return _to_dict(aggregate)


# A racer adding the same key makes our INSERT a duplicate; the retry
# then finds the key and updates it.
@utils.retry_on_deadlock(also=(db_exc.DBDuplicateEntry,))
@engine.writer
def aggregate_metadata_add(context: Any, aggregate_id: int,
                           metadata: Mapping[str, str | None],
                           set_delete: bool = False) -> dict[str, str]:
    """Merge ``metadata`` in; a None value deletes the key.

    With ``set_delete`` the result is exactly ``metadata``. Returns the
    aggregate's metadata.
    """
    aggregate = _get(context, aggregate_id)
    existing = {row.key: row for row in aggregate.metadata_items}
    table = models.AggregateMetadata
    doomed = [key for key, value in metadata.items() if value is None]
    if set_delete:
        doomed += [key for key in existing if key not in metadata]
    if doomed:
        context.session.execute(
            sa.delete(table).where(table.aggregate_id == aggregate_id,
                                   table.key.in_(doomed)))
    for key, value in metadata.items():
        if value is None:
            continue
        if key in existing:
            existing[key].value = value
        else:
            context.session.add(table(aggregate_id=aggregate_id, key=key,
                                      value=value))
    context.session.flush()
    context.session.refresh(aggregate)
    return _to_dict(aggregate)['metadata']


@engine.writer
def aggregate_metadata_delete(context: Any, aggregate_id: int, key: str
                              ) -> None:
    _get(context, aggregate_id)
    table = models.AggregateMetadata
    result = context.session.execute(
        sa.delete(table).where(table.aggregate_id == aggregate_id,
                               table.key == key))
    if result.rowcount == 0:
        raise exception.AggregateMetadataNotFound(
            aggregate_id=aggregate_id, metadata_key=key)


@engine.reader
def aggregate_metadata_get_by_host(context: Any, host: str,
                                   key: str | None = None
                                   ) -> dict[str, set[str]]:
    """{key: set of values} over all aggregates of ``host``.

    This is what host filters ask ("which availability zones is this host
    in?").
    """
    table = models.AggregateMetadata
    stmt = (sa.select(table.key, table.value)
            .join(models.AggregateHost,
                  models.AggregateHost.aggregate_id == table.aggregate_id)
            .where(models.AggregateHost.host == host))
    if key is not None:
        stmt = stmt.where(table.key == key)
    result: dict[str, set[str]] = {}
    for meta_key, value in context.session.execute(stmt):
        result.setdefault(meta_key, set()).add(value)
    return result
