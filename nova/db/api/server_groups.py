"""Server groups (``instance_groups``) and their members.

A group dict carries ``members`` (instance uuids, in join order) and
``rules`` decoded from JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_utils import uuidutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _to_dict(group: models.InstanceGroup) -> dict[str, Any]:
    values = group.to_dict()
    values['rules'] = utils.load_json(group.rules) or {}
    values['members'] = [member.instance_uuid for member in group.members]
    return values


def _get(context: Any, uuid: str) -> models.InstanceGroup:
    group = context.session.scalars(
        sa.select(models.InstanceGroup)
        .where(models.InstanceGroup.uuid == uuid)).first()
    if group is None:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)
    return group


@engine.writer
def instance_group_create(context: Any, values: Mapping[str, Any],
                          members: Iterable[str] = ()) -> dict[str, Any]:
    """Create a group: ``name``, ``user_id``, ``project_id``, ``policy``,
    ``rules`` (a dict)."""
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    values['rules'] = utils.dump_json(values.get('rules') or {})
    group = models.InstanceGroup(**values)
    group.members = [models.InstanceGroupMember(instance_uuid=uuid)
                     for uuid in dict.fromkeys(members)]
    context.session.add(group)
    utils.flush(context.session, lambda: exception.Duplicate(
        resource='Instance group', name=values['uuid']))
    return _to_dict(group)


@engine.reader
def instance_group_get(context: Any, uuid: str) -> dict[str, Any]:
    return _to_dict(_get(context, uuid))


@engine.reader
def instance_group_get_by_instance(context: Any, instance_uuid: str
                                   ) -> dict[str, Any]:
    """The group an instance belongs to (an instance is in at most one)."""
    group = context.session.scalars(
        sa.select(models.InstanceGroup)
        .join(models.InstanceGroupMember)
        .where(models.InstanceGroupMember.instance_uuid == instance_uuid)
    ).first()
    if group is None:
        raise exception.InstanceGroupNotFound(group_uuid=instance_uuid)
    return _to_dict(group)


@engine.reader
def instance_group_get_all(context: Any, project_id: str | None = None,
                           limit: int | None = None,
                           marker: str | None = None
                           ) -> list[dict[str, Any]]:
    table = models.InstanceGroup
    stmt = sa.select(table)
    if project_id is not None:
        stmt = stmt.where(table.project_id == project_id)
    marker_row = None
    if marker is not None:
        marker_row = context.session.scalars(
            sa.select(table).where(table.uuid == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    stmt = utils.paginate(stmt, table, limit, ['id'], ['asc'], marker_row)
    return [_to_dict(group) for group in context.session.scalars(stmt)]


@engine.writer
def instance_group_update(context: Any, uuid: str,
                          values: Mapping[str, Any]) -> dict[str, Any]:
    group = _get(context, uuid)
    for key, value in values.items():
        if key == 'rules':
            value = utils.dump_json(value or {})
        setattr(group, key, value)
    context.session.flush()
    return _to_dict(group)


@engine.writer
def instance_group_delete(context: Any, uuid: str) -> None:
    """Delete a group and its membership list (not the instances)."""
    result = context.session.execute(
        sa.delete(models.InstanceGroup)
        .where(models.InstanceGroup.uuid == uuid))
    if result.rowcount == 0:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)


@utils.retry_on_deadlock
@engine.writer
def instance_group_members_add(context: Any, uuid: str,
                               instance_uuids: Iterable[str]) -> list[str]:
    """Add members (already present ones are skipped); returns all."""
    group = _get(context, uuid)
    present = {member.instance_uuid for member in group.members}
    for instance_uuid in dict.fromkeys(instance_uuids):
        if instance_uuid in present:
            continue
        try:
            # A savepoint, so a racer adding the same member first only
            # costs this one INSERT.
            with context.session.begin_nested():
                context.session.add(models.InstanceGroupMember(
                    group_id=group.id, instance_uuid=instance_uuid))
        except db_exc.DBDuplicateEntry:
            pass
    context.session.refresh(group)
    return _to_dict(group)['members']


@engine.writer
def instance_group_member_delete(context: Any, uuid: str,
                                 instance_uuid: str) -> None:
    group = _get(context, uuid)
    result = context.session.execute(
        sa.delete(models.InstanceGroupMember)
        .where(models.InstanceGroupMember.group_id == group.id,
               models.InstanceGroupMember.instance_uuid == instance_uuid))
    if result.rowcount == 0:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)


@engine.reader
def instance_group_uuids_by_instances(context: Any,
                                      instance_uuids: list[str]
                                      ) -> dict[str, list[str]]:
    """{instance uuid: [uuids of the groups it belongs to]}."""
    if not instance_uuids:
        return {}
    member = models.InstanceGroupMember
    rows = context.session.execute(
        sa.select(member.instance_uuid, models.InstanceGroup.uuid)
        .join(models.InstanceGroup,
              models.InstanceGroup.id == member.group_id)
        .where(member.instance_uuid.in_(instance_uuids))).all()
    found: dict[str, list[str]] = {}
    for instance_uuid, group_uuid in rows:
        found.setdefault(instance_uuid, []).append(group_uuid)
    return found
