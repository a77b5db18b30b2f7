"""The local image store's catalogue.

An image dict carries ``properties`` ({name: value}, the additional
properties) and ``tags`` (a sorted list). Deleted images are soft deleted
(status 'deleted') and follow ``context.read_deleted``.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_utils import uuidutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils

_EXACT_FILTERS = ('name', 'status', 'visibility', 'owner', 'disk_format',
                  'container_format', 'protected')


def _to_dict(image: models.Image) -> dict[str, Any]:
    values = image.to_dict()
    values['properties'] = {prop.name: prop.value
                            for prop in image.properties}
    values['tags'] = [tag.value for tag in image.tags]
    return values


def _get(context: Any, image_id: str, live: bool = False) -> models.Image:
    stmt = utils.filter_deleted(
        sa.select(models.Image).where(models.Image.id == image_id),
        models.Image, 'no' if live else context.read_deleted)
    image = context.session.scalars(stmt).first()
    if image is None:
        raise exception.ImageNotFound(image_id=image_id)
    return image


def _set_properties(image: models.Image, properties: Mapping[str, Any],
                    purge: bool) -> None:
    existing = {prop.name: prop for prop in image.properties}
    if purge:
        image.properties = [prop for prop in image.properties
                            if prop.name in properties]
    for name, value in properties.items():
        if name in existing:
            existing[name].value = value
        else:
            image.properties.append(
                models.ImageProperty(name=name, value=value))


@engine.writer
def image_create(context: Any, values: Mapping[str, Any],
                 properties: Mapping[str, Any] | None = None,
                 tags: Iterable[str] = ()) -> dict[str, Any]:
    values = dict(values)
    values.setdefault('id', uuidutils.generate_uuid())
    values.setdefault('status', 'queued')
    image = models.Image(**values)
    _set_properties(image, properties or {}, purge=False)
    image.tags = [models.ImageTag(value=tag) for tag in sorted(set(tags))]
    context.session.add(image)
    utils.flush(context.session,
                lambda: exception.ImageExists(image_id=values['id']))
    return _to_dict(image)


@engine.reader
def image_get(context: Any, image_id: str) -> dict[str, Any]:
    return _to_dict(_get(context, image_id))


@engine.reader
def image_get_all(context: Any, filters: Mapping[str, Any] | None = None,
                  sort_key: str | Sequence[str] = 'created_at',
                  sort_dir: str | Sequence[str] = 'desc',
                  limit: int | None = None, marker: str | None = None
                  ) -> list[dict[str, Any]]:
    """Images matching ``filters``; ``marker`` is an image id; one sort
    key and direction or parallel sequences of them.

    ``filters``: exact matches on ``_EXACT_FILTERS``, ``tags`` (the image
    has all of them), ``properties`` ({name: value}, all must match),
    ``visible_to`` (a project id: public and community images plus the
    project's own), ``hide_community_except`` (a project id: community
    images of other projects are left out).
    """
    filters = dict(filters or {})
    table = models.Image
    stmt = utils.filter_deleted(sa.select(table), table,
                                context.read_deleted)
    for key in _EXACT_FILTERS:
        if key in filters:
            stmt = stmt.where(getattr(table, key) == filters[key])
    for tag in filters.get('tags') or ():
        stmt = stmt.where(table.id.in_(
            sa.select(models.ImageTag.image_id)
            .where(models.ImageTag.value == tag)))
    for name, value in (filters.get('properties') or {}).items():
        stmt = stmt.where(table.id.in_(
            sa.select(models.ImageProperty.image_id)
            .where(models.ImageProperty.name == name,
                   models.ImageProperty.value == value)))
    if filters.get('hide_community_except') is not None:
        stmt = stmt.where(sa.or_(
            table.visibility != 'community',
            table.owner == filters['hide_community_except']))
    if filters.get('visible_to') is not None:
        stmt = stmt.where(sa.or_(
            table.visibility.in_(('public', 'community')),
            table.owner == filters['visible_to']))
    marker_row = None
    if marker is not None:
        marker_row = context.session.get(table, marker)
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    sort_keys = [sort_key] if isinstance(sort_key, str) else list(sort_key)
    sort_dirs = [sort_dir] if isinstance(sort_dir, str) else list(sort_dir)
    stmt = utils.paginate(stmt, table, limit, sort_keys, sort_dirs,
                          marker_row)
    return [_to_dict(image) for image in context.session.scalars(stmt)]


@engine.writer
def image_update(context: Any, image_id: str, values: Mapping[str, Any],
                 properties: Mapping[str, Any] | None = None,
                 purge_props: bool = False) -> dict[str, Any]:
    """Update columns and merge ``properties`` (replace with
    ``purge_props``)."""
    image = _get(context, image_id, live=True)
    for key, value in values.items():
        setattr(image, key, value)
    if properties is not None or purge_props:
        _set_properties(image, properties or {}, purge=purge_props)
    context.session.flush()
    return _to_dict(image)


@engine.writer
def image_destroy(context: Any, image_id: str) -> dict[str, Any]:
    """Soft delete an image; protected images are refused."""
    image = _get(context, image_id, live=True)
    if image.protected:
        raise exception.Forbidden(
            reason=f'image {image_id} is protected and cannot be deleted')
    context.session.execute(
        sa.update(models.Image).where(models.Image.id == image_id)
        .values(status='deleted',
                **utils.soft_delete_values(models.Image)))
    context.session.refresh(image)
    return _to_dict(image)


# Adding a tag twice is not an error; the retry finds it present.
@utils.retry_on_deadlock(also=(db_exc.DBDuplicateEntry,))
@engine.writer
def image_tag_add(context: Any, image_id: str, tag: str) -> list[str]:
    image = _get(context, image_id, live=True)
    if tag not in {row.value for row in image.tags}:
        image.tags.append(models.ImageTag(value=tag))
        context.session.flush()
    return _to_dict(image)['tags']


@engine.writer
def image_tag_delete(context: Any, image_id: str, tag: str) -> None:
    _get(context, image_id, live=True)
    result = context.session.execute(
        sa.delete(models.ImageTag)
        .where(models.ImageTag.image_id == image_id,
               models.ImageTag.value == tag))
    if result.rowcount == 0:
        raise exception.NotFound(f'Image {image_id} has no tag {tag}.')


@engine.writer
def image_set_status(context: Any, image_id: str, expected: str,
                     status: str) -> dict[str, Any] | None:
    """Move a live image from ``expected`` to ``status`` atomically.

    Returns the updated image, or None when the image is not in
    ``expected`` (someone else moved it first); ImageNotFound when it
    is gone.
    """
    result = context.session.execute(
        sa.update(models.Image)
        .where(models.Image.id == image_id,
               models.Image.deleted == 0,
               models.Image.status == expected)
        .values(status=status)
        .execution_options(synchronize_session=False))
    if result.rowcount == 0:
        _get(context, image_id, live=True)
        return None
    return _to_dict(_get(context, image_id, live=True))
