"""Request specs: what an instance asked the scheduler for.

The spec is an opaque JSON document to this layer (the scheduler's
RequestSpec object serialises itself); it is stored to re-schedule the
instance on later moves.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _to_dict(row: models.RequestSpec) -> dict[str, Any]:
    values = row.to_dict()
    values['spec'] = utils.load_json(row.spec)
    return values


def _get(context: Any, instance_uuid: str) -> models.RequestSpec:
    row = context.session.scalars(
        sa.select(models.RequestSpec)
        .where(models.RequestSpec.instance_uuid == instance_uuid)).first()
    if row is None:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)
    return row


@engine.writer
def request_spec_create(context: Any, instance_uuid: str,
                        spec: Any) -> dict[str, Any]:
    row = models.RequestSpec(instance_uuid=instance_uuid,
                             spec=utils.dump_json(spec))
    context.session.add(row)
    utils.flush(context.session, lambda: exception.Duplicate(
        resource='Request spec of instance', name=instance_uuid))
    return _to_dict(row)


@engine.reader
def request_spec_get_by_instance_uuid(context: Any, instance_uuid: str
                                      ) -> dict[str, Any]:
    return _to_dict(_get(context, instance_uuid))


@engine.writer
def request_spec_update(context: Any, instance_uuid: str,
                        spec: Any) -> dict[str, Any]:
    row = _get(context, instance_uuid)
    row.spec = utils.dump_json(spec)
    context.session.flush()
    return _to_dict(row)


@engine.writer
def request_spec_destroy(context: Any, instance_uuid: str) -> None:
    result = context.session.execute(
        sa.delete(models.RequestSpec)
        .where(models.RequestSpec.instance_uuid == instance_uuid))
    if result.rowcount == 0:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)


@engine.reader
def request_spec_get_by_instance_uuids(context: Any, instance_uuids: list[str]
                                       ) -> dict[str, Any]:
    """{instance uuid: spec document} in one query, for server lists."""
    if not instance_uuids:
        return {}
    rows = context.session.scalars(
        sa.select(models.RequestSpec)
        .where(models.RequestSpec.instance_uuid.in_(instance_uuids))).all()
    return {row.instance_uuid: utils.load_json(row.spec) for row in rows}
