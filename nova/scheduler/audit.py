"""Orphaned allocations: resources held by consumers that no longer exist.

A consumer is legitimate while it is a live (not soft-deleted) instance
or an unfinished migration; anything else holding allocations (a crash
between claim and cleanup, a deleted instance whose release failed)
leaks capacity until removed. ``nova-manage placement audit`` lists and
optionally deletes them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova.db import engine
from nova.db import models
from nova.db.api import migrations

_ALLOC = models.Allocation.__table__
_CN = models.ComputeNode.__table__


def _orphaned() -> Any:
    """WHERE clause: the allocation's consumer is neither a live instance
    nor an unfinished migration."""
    live_instances = sa.select(models.Instance.uuid).where(
        models.Instance.deleted == 0)
    live_migrations = sa.select(models.Migration.uuid).where(
        models.Migration.deleted == 0,
        models.Migration.status.not_in(migrations.FINISHED_STATUSES))
    return sa.and_(_ALLOC.c.consumer_id.not_in(live_instances),
                   _ALLOC.c.consumer_id.not_in(live_migrations))


@engine.reader
def find_orphaned_allocations(context: Any) -> list[dict[str, Any]]:
    """One dict per orphaned consumer and node: ``consumer_id``,
    ``compute_node_id``, ``host``, ``nodename``, ``resources``."""
    stmt = (sa.select(_ALLOC.c.consumer_id, _ALLOC.c.compute_node_id,
                      _CN.c.host, _CN.c.hypervisor_hostname,
                      _ALLOC.c.resource_class, _ALLOC.c.used)
            .join(_CN, _CN.c.id == _ALLOC.c.compute_node_id)
            .where(_orphaned())
            .order_by(_ALLOC.c.consumer_id, _ALLOC.c.compute_node_id,
                      _ALLOC.c.resource_class))
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for consumer, node_id, host, nodename, rc, used in (
            context.session.execute(stmt)):
        entry = found.setdefault((consumer, node_id), {
            'consumer_id': consumer, 'compute_node_id': node_id,
            'host': host, 'nodename': nodename, 'resources': {}})
        entry['resources'][rc] = used
    return list(found.values())


@engine.writer
def delete_orphaned_allocations(context: Any, consumer_ids: list[str]
                                ) -> int:
    """Delete the allocations of ``consumer_ids`` that are still orphaned.

    The orphan condition is checked again in the DELETE itself, so a
    consumer that became legitimate since the listing (e.g. a migration
    just recorded) keeps its allocations. Returns the rows deleted.
    """
    if not consumer_ids:
        return 0
    return context.session.execute(
        sa.delete(_ALLOC).where(_ALLOC.c.consumer_id.in_(consumer_ids),
                                _orphaned())).rowcount
