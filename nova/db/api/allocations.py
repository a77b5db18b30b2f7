"""Resource claims on compute nodes (placement-style allocations).

A claim checks capacity and writes the allocations in one transaction,
guarded by a compare-and-swap of ``compute_nodes.generation``:

1. read the node's generation G;
2. read its inventory and current usage, and check that the request fits:
   ``used + requested <= (total - reserved) * allocation_ratio``;
3. ``UPDATE compute_nodes SET generation = G + 1 WHERE id = :id AND
   generation = G``; no row updated means someone else changed the node
   since step 1, and the claim must start over;
4. write the allocation rows.

Step 3 serialises writers on the node's row on every backend, and the
winner's changes are committed before a loser's UPDATE re-checks the
generation, so two claims can never both take the last resources. The
generation is read *before* usage on purpose: on PostgreSQL each
statement sees the latest committed data (READ COMMITTED), and reading
usage first could pair old usage with a new generation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import compute_nodes
from nova.db.api import utils


def _check_fits(node_id: int, inventories: dict[str, dict[str, Any]],
                usages: dict[str, int],
                resources: Mapping[str, int]) -> None:
    for resource_class, amount in sorted(resources.items()):
        if amount == 0:
            continue
        inventory = inventories.get(resource_class)
        if inventory is None:
            raise exception.InsufficientResources(
                node=node_id, reason=f'no {resource_class} inventory')
        if (amount < inventory['min_unit']
                or amount > inventory['max_unit']
                or amount % inventory['step_size']):
            raise exception.InsufficientResources(
                node=node_id,
                reason=f'{resource_class}={amount} is outside '
                       f'min_unit/max_unit/step_size of the inventory')
        capacity = ((inventory['total'] - inventory['reserved'])
                    * inventory['allocation_ratio'])
        used = usages.get(resource_class, 0)
        if used + amount > capacity:
            raise exception.InsufficientResources(
                node=node_id,
                reason=f'{resource_class}: {used} used + {amount} '
                       f'requested > {capacity:g} capacity')


def _usages(context: Any, node_id: int,
            exclude_consumer: str | None = None) -> dict[str, int]:
    table = models.Allocation
    stmt = (sa.select(table.resource_class, sa.func.sum(table.used))
            .where(table.compute_node_id == node_id)
            .group_by(table.resource_class))
    if exclude_consumer is not None:
        stmt = stmt.where(table.consumer_id != exclude_consumer)
    return {rc: int(used) for rc, used in context.session.execute(stmt)}


@utils.retry_on_deadlock(also=(exception.ResourceProviderGenerationConflict,))
@engine.writer
def claim_resources(context: Any, node_id: int, consumer_id: str,
                    resources: Mapping[str, int]) -> int:
    """Claim ``resources`` ({resource class: amount}) for a consumer.

    The consumer's existing allocations on this node are replaced, so a
    repeated claim is harmless and a resize on the same node only needs
    room for the difference. Raises ``InsufficientResources`` when the
    request does not fit; when called inside the caller's transaction,
    ``ResourceProviderGenerationConflict`` too (the caller retries; on
    its own the function retries by itself). Returns the node's new
    generation.
    """
    seen = context.session.scalar(
        sa.select(models.ComputeNode.generation)
        .where(models.ComputeNode.id == node_id))
    if seen is None:
        raise exception.ComputeNodeNotFound(node=node_id)
    inventories = compute_nodes.inventories_get(context, node_id)
    usages = _usages(context, node_id, exclude_consumer=consumer_id)
    _check_fits(node_id, inventories, usages, resources)
    generation = compute_nodes.bump_generation(context, node_id, seen)
    # Core DELETE, not session.delete: the unit of work would INSERT the
    # new rows first and trip the unique constraint.
    context.session.execute(
        sa.delete(models.Allocation)
        .where(models.Allocation.compute_node_id == node_id,
               models.Allocation.consumer_id == consumer_id))
    context.session.add_all(
        models.Allocation(compute_node_id=node_id, consumer_id=consumer_id,
                          resource_class=resource_class, used=amount)
        for resource_class, amount in sorted(resources.items())
        if amount)
    context.session.flush()
    return generation


@utils.retry_on_deadlock
@engine.writer
def release_resources(context: Any, consumer_id: str,
                      node_id: int | None = None) -> int:
    """Drop the consumer's allocations (on one node, or everywhere).

    The generation is left alone: a release only makes room, so a claim
    that counted the old usage errs on the safe side. Returns the number
    of allocation rows removed.
    """
    stmt = sa.delete(models.Allocation).where(
        models.Allocation.consumer_id == consumer_id)
    if node_id is not None:
        stmt = stmt.where(models.Allocation.compute_node_id == node_id)
    return context.session.execute(stmt).rowcount


@utils.retry_on_deadlock
@engine.writer
def allocations_move(context: Any, source_consumer_id: str,
                     target_consumer_id: str) -> int:
    """Hand all of one consumer's allocations to another.

    Used by moves: the instance's allocation on the source node becomes
    the migration's, and usage does not change. Returns the rows moved.
    """
    return context.session.execute(
        sa.update(models.Allocation)
        .where(models.Allocation.consumer_id == source_consumer_id)
        .values(consumer_id=target_consumer_id)).rowcount


@engine.reader
def allocations_get_by_consumer(context: Any, consumer_id: str
                                ) -> dict[int, dict[str, int]]:
    """{compute node id: {resource class: used}} of one consumer."""
    result: dict[int, dict[str, int]] = {}
    for row in context.session.scalars(
            sa.select(models.Allocation)
            .where(models.Allocation.consumer_id == consumer_id)):
        result.setdefault(row.compute_node_id, {})[row.resource_class] = (
            row.used)
    return result


@engine.reader
def allocations_get_by_node(context: Any, node_id: int
                            ) -> dict[str, dict[str, int]]:
    """{consumer id: {resource class: used}} on one node."""
    result: dict[str, dict[str, int]] = {}
    for row in context.session.scalars(
            sa.select(models.Allocation)
            .where(models.Allocation.compute_node_id == node_id)):
        result.setdefault(row.consumer_id, {})[row.resource_class] = row.used
    return result


@engine.reader
def usages_get_by_node(context: Any, node_id: int) -> dict[str, int]:
    """{resource class: total used} on one node."""
    return _usages(context, node_id)
