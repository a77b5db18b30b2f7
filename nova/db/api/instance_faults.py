"""Instance faults: why an instance went to ERROR."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from nova.db import engine
from nova.db import models


@engine.writer
def instance_fault_create(context: Any, values: Mapping[str, Any]
                          ) -> dict[str, Any]:
    """Record a fault: ``instance_uuid``, ``code``, ``message``,
    ``details``, ``host``."""
    fault = models.InstanceFault(**values)
    context.session.add(fault)
    context.session.flush()
    return fault.to_dict()


@engine.reader
def instance_fault_get_by_instance_uuids(
        context: Any, instance_uuids: Iterable[str],
        latest: bool = False) -> dict[str, list[dict[str, Any]]]:
    """{uuid: [faults, newest first]}, with an empty list for none.

    With ``latest`` only the newest fault of each instance is returned,
    which is all the servers API shows.
    """
    uuids = list(instance_uuids)
    result: dict[str, list[dict[str, Any]]] = {uuid: [] for uuid in uuids}
    if not uuids:
        return result
    table = models.InstanceFault
    stmt = sa.select(table).where(table.instance_uuid.in_(uuids))
    if latest:
        newest = (sa.select(sa.func.max(table.id))
                  .where(table.instance_uuid.in_(uuids))
                  .group_by(table.instance_uuid))
        stmt = stmt.where(table.id.in_(newest))
    stmt = stmt.order_by(table.created_at.desc(), table.id.desc())
    for fault in context.session.scalars(stmt):
        result[fault.instance_uuid].append(fault.to_dict())
    return result
