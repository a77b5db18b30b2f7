"""Allocations checked against what every consumer should hold.

Beyond orphans (nova/scheduler/audit.py), each live consumer must hold
exactly its due: a server on a host holds its flavor's resources on its
node and nothing elsewhere; a server without a host (offloaded, never
scheduled) holds nothing; an unfinished migration holds the source
node's share of the old flavor. A server in the middle of an operation
that moves resources (building, moving, unshelving...) is skipped: its
allocations are legitimately in flux. ``nova-manage placement audit
--verify`` reports what differs.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova.db import engine
from nova.db import models
from nova.db.api import migrations
from nova.scheduler.request import resources_from_flavor

# Task states during which allocations are being changed.
_IN_FLUX = {'scheduling', 'networking', 'spawning', 'block_device_mapping',
            'resize_prep', 'resize_migrating', 'resize_migrated',
            'resize_finish', 'resize_reverting', 'resize_confirming',
            'migrating', 'rebuilding', 'rebuild_spawning', 'unshelving',
            'shelving_offloading', 'deleting'}


@engine.reader
def find_mismatches(context: Any) -> list[str]:
    """One line per consumer whose allocations are not what it is due."""
    held = _allocations(context)
    nodes = {(n.host, n.hypervisor_hostname): n.id for n in
             context.session.scalars(sa.select(models.ComputeNode))}
    problems: list[str] = []
    moving: set[str] = set()
    for migration in context.session.scalars(
            sa.select(models.Migration).where(
                models.Migration.deleted == 0,
                models.Migration.status.not_in(
                    migrations.FINISHED_STATUSES))):
        moving.add(migration.instance_uuid)
        mine = held.pop(migration.uuid, {})
        # Before conductor hands it the source, a migration holds nothing
        # or (mid-hand-over) the source: both are fine.
        if migration.status == 'pre-migrating':
            continue
        source = nodes.get((migration.source_compute,
                            migration.source_node))
        due = {source: None} if source else {}
        problems += _compare(f'migration {migration.uuid}', mine, due)
    for instance in context.session.scalars(
            sa.select(models.Instance).where(models.Instance.deleted == 0)):
        got = held.pop(instance.uuid, {})
        if instance.task_state in _IN_FLUX or instance.uuid in moving:
            continue
        node = nodes.get((instance.host, instance.node))
        due = {node: resources_from_flavor({
            'vcpus': instance.vcpus, 'memory_mb': instance.memory_mb,
            'root_gb': instance.root_gb,
            'ephemeral_gb': instance.ephemeral_gb,
            'swap': instance.swap})} if node else {}
        problems += _compare(f'instance {instance.uuid} '
                             f'({instance.vm_state})', got, due)
    for consumer, by_node in sorted(held.items()):
        problems.append(f'consumer {consumer} is neither a live instance '
                        f'nor an unfinished migration but holds '
                        f'{_text(by_node)}')
    return problems


def _allocations(context: Any) -> dict[str, dict[int, dict[str, int]]]:
    held: dict[str, dict[int, dict[str, int]]] = {}
    for row in context.session.scalars(sa.select(models.Allocation)):
        held.setdefault(row.consumer_id, {}).setdefault(
            row.compute_node_id, {})[row.resource_class] = row.used
    return held


def _compare(what: str, got: dict[int, dict[str, int]],
             due: dict[int | None, dict[str, int] | None]) -> list[str]:
    """``due`` maps node id -> resources (None: any non-empty amount)."""
    got = {node: {rc: n for rc, n in res.items() if n}
           for node, res in got.items()}
    got = {node: res for node, res in got.items() if res}
    expected = {node: {rc: n for rc, n in (res or {}).items() if n}
                for node, res in due.items()}
    if set(got) != set(expected):
        return [f'{what} holds {_text(got) or "nothing"}, due '
                f'{_text(expected) or "nothing"}']
    return [f'{what} holds {_text(got)}, due {_text(expected)}'
            for node in got
            if due[node] is not None and got[node] != expected[node]]


def _text(by_node: dict[Any, dict[str, int]]) -> str:
    return '; '.join(
        f'node {node}: ' + ', '.join(f'{rc}={n}'
                                     for rc, n in sorted(res.items()))
        for node, res in sorted(by_node.items(), key=lambda kv: str(kv[0])))
