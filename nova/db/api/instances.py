"""Instances: create, read, list, conditional update, soft delete.

Every instance dict carries its ``metadata`` and ``system_metadata``
({key: value}) and ``extra`` ({field: decoded JSON}) besides the columns
of the ``instances`` table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import instance_metadata
from nova.db.api import utils

# Sentinel: "do not check this state", as opposed to "expect None".
UNSET: Any = object()

# Filters matched by equality (a list or tuple value means "any of").
_EXACT_FILTERS = (
    'uuid', 'project_id', 'user_id', 'host', 'node', 'display_name',
    'hostname', 'vm_state', 'task_state', 'power_state', 'reservation_id',
    'availability_zone', 'image_ref', 'key_name', 'instance_type_id',
    'locked', 'hidden', 'cleaned', 'launched_on', 'progress',
    'config_drive',
)
# '<column>_second': a datetime; matches timestamps within that second.
_SECOND_FILTERS = ('created_at_second', 'launched_at_second',
                   'terminated_at_second')


def _with_children(context: Any, rows: Sequence[models.Instance]
                   ) -> list[dict[str, Any]]:
    children = instance_metadata.load_children(
        context, [row.uuid for row in rows])
    return [{**row.to_dict(), **children[row.uuid]} for row in rows]


@utils.retry_on_deadlock
@engine.writer
def instance_create(context: Any, values: Mapping[str, Any]
                    ) -> dict[str, Any]:
    """Create an instance with its metadata, system metadata and extra.

    ``values`` holds column values plus the optional ``metadata``,
    ``system_metadata`` (dicts) and ``extra`` ({field: JSON-able}).
    """
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    instance = models.Instance(
        **{key: value for key, value in values.items()
           if key not in ('metadata', 'system_metadata', 'extra')})
    context.session.add(instance)
    utils.flush(context.session,
                lambda: exception.InstanceExists(name=values['uuid']))
    instance_metadata.write_children(context, instance.uuid, values,
                                     create=True)
    return _with_children(context, [instance])[0]


def _get(context: Any, criterion: Any, instance_id: Any
         ) -> models.Instance:
    stmt = utils.filter_deleted(
        sa.select(models.Instance).where(criterion), models.Instance,
        context.read_deleted)
    instance = context.session.scalars(stmt).first()
    if instance is None:
        raise exception.InstanceNotFound(instance_id=instance_id)
    return instance


@engine.reader
def instance_get_by_uuid(context: Any, uuid: str) -> dict[str, Any]:
    if not uuidutils.is_uuid_like(uuid):
        raise exception.InstanceNotFound(instance_id=uuid)
    instance = _get(context, models.Instance.uuid == uuid, uuid)
    return _with_children(context, [instance])[0]


@engine.reader
def instance_get(context: Any, instance_id: int) -> dict[str, Any]:
    instance = _get(context, models.Instance.id == instance_id, instance_id)
    return _with_children(context, [instance])[0]


def _apply_filters(stmt: sa.Select, filters: Mapping[str, Any],
                   read_deleted: str) -> sa.Select:
    table = models.Instance
    unknown = set(filters) - {*_EXACT_FILTERS, 'deleted', 'changes-since',
                              'changes-before', 'display_name_regex',
                              'ip_regex', 'ip6_regex', *_TAG_FILTERS,
                              *_SECOND_FILTERS}
    if unknown:
        raise exception.Invalid(
            reason=f'unsupported instance filters: {sorted(unknown)}')
    if 'deleted' in filters:
        read_deleted = 'only' if filters['deleted'] else 'no'
    stmt = utils.filter_deleted(stmt, table, read_deleted)
    for key in _EXACT_FILTERS:
        if key not in filters:
            continue
        column = getattr(table, key)
        value = filters[key]
        if isinstance(value, (list, tuple, set, frozenset)):
            stmt = stmt.where(_in(column, value))
        elif value is None:
            stmt = stmt.where(column.is_(None))
        else:
            stmt = stmt.where(column == value)
    if 'display_name_regex' in filters:
        # The API's name filter is a regular expression, as upstream.
        stmt = stmt.where(table.display_name.regexp_match(
            filters['display_name_regex']))
    if 'ip_regex' in filters:
        stmt = stmt.where(_has_address(filters['ip_regex'], '.'))
    if 'ip6_regex' in filters:
        stmt = stmt.where(_has_address(filters['ip6_regex'], ':'))
    if 'changes-since' in filters:
        stmt = stmt.where(table.updated_at >= filters['changes-since'])
    if 'changes-before' in filters:
        stmt = stmt.where(table.updated_at <= filters['changes-before'])
    for key in _SECOND_FILTERS:
        if key in filters:
            column = getattr(table, key[:-len('_second')])
            start = filters[key].replace(microsecond=0)
            stmt = stmt.where(column >= start, column < start +
                              datetime.timedelta(seconds=1))
    return _apply_tag_filters(stmt, filters)


def _has_address(pattern: str, family_marker: str) -> Any:
    """The instance has a fixed IP of one family ('.' IPv4, ':' IPv6)
    matching the regular expression, as the API's ip/ip6 filters mean."""
    fixed = models.FixedIp
    return sa.exists().where(
        fixed.instance_uuid == models.Instance.uuid,
        fixed.address.contains(family_marker, autoescape=True),
        fixed.address.regexp_match(pattern))


# Tag filters, each a list of tags: 'tags' (has all), 'tags-any' (has
# one at least), 'not-tags' (lacks one at least), 'not-tags-any' (has
# none).
_TAG_FILTERS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')


def _has_tags(tags: Iterable[str]) -> Any:
    return sa.and_(*(_has_any_tag([tag]) for tag in tags))


def _has_any_tag(tags: Iterable[str]) -> Any:
    return sa.exists().where(models.Tag.resource_id == models.Instance.uuid,
                             models.Tag.tag.in_(list(tags)))


def _apply_tag_filters(stmt: sa.Select, filters: Mapping[str, Any]
                       ) -> sa.Select:
    tags = {key: list(filters[key]) for key in _TAG_FILTERS
            if filters.get(key)}
    if 'tags' in tags:
        stmt = stmt.where(_has_tags(tags['tags']))
    if 'tags-any' in tags:
        stmt = stmt.where(_has_any_tag(tags['tags-any']))
    if 'not-tags' in tags:
        stmt = stmt.where(sa.not_(_has_tags(tags['not-tags'])))
    if 'not-tags-any' in tags:
        stmt = stmt.where(sa.not_(_has_any_tag(tags['not-tags-any'])))
    return stmt


def _in(column: Any, values: Iterable[Any]) -> Any:
    """``column IN values``, where a None in ``values`` matches NULL."""
    values = list(values)
    present = [value for value in values if value is not None]
    clause = column.in_(present)
    if len(present) != len(values):
        clause = sa.or_(clause, column.is_(None))
    return clause


@engine.reader
def instance_get_all_by_filters(
        context: Any, filters: Mapping[str, Any] | None = None,
        sort_keys: Sequence[str] | None = None,
        sort_dirs: Sequence[str] | None = None,
        limit: int | None = None,
        marker: str | None = None) -> list[dict[str, Any]]:
    """Instances matching ``filters``, sorted and paged.

    ``filters``: exact matches on the columns in ``_EXACT_FILTERS`` (a
    list means any of), ``deleted`` (bool, overrides
    ``context.read_deleted``), ``changes-since`` / ``changes-before``
    (datetimes compared with ``updated_at``), ``tags`` / ``tags-any`` /
    ``not-tags`` / ``not-tags-any`` (lists of tags). ``marker`` is the uuid of
    the last instance of the previous page. Default order: newest first.
    """
    sort_keys = list(sort_keys or ['created_at'])
    sort_dirs = list(sort_dirs or ['desc'] * len(sort_keys))
    stmt = _apply_filters(sa.select(models.Instance), filters or {},
                          context.read_deleted)
    marker_row = None
    if marker is not None:
        marker_row = context.session.scalars(
            sa.select(models.Instance)
            .where(models.Instance.uuid == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    stmt = utils.paginate(stmt, models.Instance, limit, sort_keys,
                          sort_dirs, marker_row)
    return _with_children(context, context.session.scalars(stmt).all())


@engine.reader
def instance_get_all_by_host(context: Any, host: str,
                             node: str | None = None
                             ) -> list[dict[str, Any]]:
    filters: dict[str, Any] = {'host': host}
    if node is not None:
        filters['node'] = node
    return instance_get_all_by_filters(context, filters,
                                       sort_keys=['id'], sort_dirs=['asc'])


def _expected(value: Any) -> tuple[Any, ...]:
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(value)
    return (value,)


def _raise_lost_race(context: Any, uuid: str, expected_task_state: Any,
                     expected_vm_state: Any) -> None:
    """Explain why a conditional UPDATE matched no row."""
    row = context.session.execute(
        sa.select(models.Instance.task_state, models.Instance.vm_state)
        .where(models.Instance.uuid == uuid,
               models.Instance.deleted == 0)).first()
    if row is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    task_ok = (expected_task_state is UNSET
               or row.task_state in _expected(expected_task_state))
    if (task_ok and expected_vm_state is not UNSET
            and row.vm_state not in _expected(expected_vm_state)):
        raise exception.UnexpectedVMStateError(
            instance_uuid=uuid, expected=_expected(expected_vm_state),
            actual=row.vm_state)
    # Either the task state differs, or it changed back between our
    # UPDATE and this read: a lost race all the same.
    raise exception.UnexpectedTaskStateError(
        instance_uuid=uuid, expected=_expected(expected_task_state),
        actual=row.task_state)


@utils.retry_on_deadlock
@engine.writer
def instance_update(context: Any, uuid: str, values: Mapping[str, Any],
                    expected_task_state: Any = UNSET,
                    expected_vm_state: Any = UNSET) -> dict[str, Any]:
    """Update a live instance, optionally only from expected states.

    ``expected_task_state`` / ``expected_vm_state`` (a value or a list of
    values; None means "no task") turn the write into one conditional
    UPDATE, so of two racing callers exactly one wins; the other gets
    ``UnexpectedTaskStateError`` / ``UnexpectedVMStateError``. ``values``
    may also carry ``metadata``/``system_metadata`` (replacing them) and
    ``extra`` (merged field by field).
    """
    values = dict(values)
    if 'uuid' in values and values['uuid'] != uuid:
        raise exception.Invalid(reason='an instance uuid never changes')
    columns = {key: value for key, value in values.items()
               if key not in ('metadata', 'system_metadata', 'extra')}
    # Always set updated_at: the UPDATE then also serves metadata-only
    # changes, and its row lock orders them against other writers.
    columns.setdefault('updated_at', timeutils.utcnow())
    table = models.Instance
    stmt = (sa.update(table)
            .where(table.uuid == uuid, table.deleted == 0)
            .values(**columns))
    if expected_task_state is not UNSET:
        stmt = stmt.where(_in(table.task_state,
                              _expected(expected_task_state)))
    if expected_vm_state is not UNSET:
        stmt = stmt.where(_in(table.vm_state, _expected(expected_vm_state)))
    if context.session.execute(stmt).rowcount == 0:
        _raise_lost_race(context, uuid, expected_task_state,
                         expected_vm_state)
    instance_metadata.write_children(context, uuid, values)
    instance = _get(context, table.uuid == uuid, uuid)
    # The Core UPDATE bypassed the session; do not serve stale attributes.
    context.session.refresh(instance)
    return _with_children(context, [instance])[0]


@utils.retry_on_deadlock
@engine.writer
def instance_destroy(context: Any, uuid: str,
                     expected_task_state: Any = UNSET) -> dict[str, Any]:
    """Soft delete an instance and its children; returns it as deleted.

    Tags, server group membership and console tokens are removed for
    good: nothing lists them for deleted instances.
    """
    table = models.Instance
    stmt = (sa.update(table)
            .where(table.uuid == uuid, table.deleted == 0)
            .values(**utils.soft_delete_values(table)))
    if expected_task_state is not UNSET:
        stmt = stmt.where(_in(table.task_state,
                              _expected(expected_task_state)))
    if context.session.execute(stmt).rowcount == 0:
        _raise_lost_race(context, uuid, expected_task_state, UNSET)
    instance_metadata.soft_delete_children(context, uuid)
    for model, column in ((models.Tag, models.Tag.resource_id),
                          (models.InstanceGroupMember,
                           models.InstanceGroupMember.instance_uuid),
                          (models.ConsoleAuthToken,
                           models.ConsoleAuthToken.instance_uuid)):
        context.session.execute(sa.delete(model).where(column == uuid))
    instance = context.session.scalars(
        sa.select(table).where(table.uuid == uuid)).one()
    context.session.refresh(instance)
    return _with_children(context, [instance])[0]


@engine.reader
def instance_usage_by_project(context: Any, project_id: str,
                              user_id: str | None = None) -> dict[str, int]:
    """What live instances use: {'instances', 'cores', 'ram'}.

    The source of truth when quota usage counters must be rebuilt.
    """
    table = models.Instance
    stmt = (sa.select(sa.func.count(table.id),
                      sa.func.coalesce(sa.func.sum(table.vcpus), 0),
                      sa.func.coalesce(sa.func.sum(table.memory_mb), 0))
            .where(table.project_id == project_id, table.deleted == 0))
    if user_id is not None:
        stmt = stmt.where(table.user_id == user_id)
    count, cores, ram = context.session.execute(stmt).one()
    return {'instances': int(count), 'cores': int(cores), 'ram': int(ram)}
