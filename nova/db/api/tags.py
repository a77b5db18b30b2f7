"""Server tags (the ``tags`` table, keyed by instance uuid)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _check_instance(context: Any, uuid: str) -> None:
    found = context.session.scalar(
        sa.select(models.Instance.id)
        .where(models.Instance.uuid == uuid, models.Instance.deleted == 0))
    if found is None:
        raise exception.InstanceNotFound(instance_id=uuid)


def _tags(context: Any, uuid: str) -> list[str]:
    return list(context.session.scalars(
        sa.select(models.Tag.tag).where(models.Tag.resource_id == uuid)
        .order_by(models.Tag.tag)))


@engine.reader
def instance_tags_get(context: Any, uuid: str) -> list[str]:
    _check_instance(context, uuid)
    return _tags(context, uuid)


@engine.reader
def instance_tags_get_by_instance_uuids(context: Any, uuids: Iterable[str]
                                        ) -> dict[str, list[str]]:
    uuids = list(uuids)
    result: dict[str, list[str]] = {uuid: [] for uuid in uuids}
    if uuids:
        for uuid, tag in context.session.execute(
                sa.select(models.Tag.resource_id, models.Tag.tag)
                .where(models.Tag.resource_id.in_(uuids))
                .order_by(models.Tag.tag)):
            result[uuid].append(tag)
    return result


@utils.retry_on_deadlock
@engine.writer
def instance_tag_add(context: Any, uuid: str, tag: str) -> list[str]:
    """Add a tag (adding an existing tag is not an error)."""
    _check_instance(context, uuid)
    if tag not in _tags(context, uuid):
        try:
            # A savepoint, so that losing a race to add the same tag does
            # not spoil the caller's transaction.
            with context.session.begin_nested():
                context.session.add(models.Tag(resource_id=uuid, tag=tag))
        except db_exc.DBDuplicateEntry:
            pass
    return _tags(context, uuid)


@utils.retry_on_deadlock
@engine.writer
def instance_tags_set(context: Any, uuid: str, tags: Iterable[str]
                      ) -> list[str]:
    """Replace all tags of the instance."""
    _check_instance(context, uuid)
    context.session.execute(
        sa.delete(models.Tag).where(models.Tag.resource_id == uuid))
    context.session.add_all(models.Tag(resource_id=uuid, tag=tag)
                            for tag in sorted(set(tags)))
    context.session.flush()
    return _tags(context, uuid)


@engine.writer
def instance_tag_delete(context: Any, uuid: str, tag: str) -> None:
    _check_instance(context, uuid)
    result = context.session.execute(
        sa.delete(models.Tag).where(models.Tag.resource_id == uuid,
                                    models.Tag.tag == tag))
    if result.rowcount == 0:
        raise exception.InstanceTagNotFound(instance_id=uuid, tag=tag)


@engine.writer
def instance_tags_delete_all(context: Any, uuid: str) -> None:
    _check_instance(context, uuid)
    context.session.execute(
        sa.delete(models.Tag).where(models.Tag.resource_id == uuid))
