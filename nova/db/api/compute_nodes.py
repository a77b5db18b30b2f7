"""Compute nodes and their inventories.

A node's inventory says how much of each resource class ('VCPU',
'MEMORY_MB', 'DISK_GB') claims may use; ``nova.db.api.allocations``
holds the claims themselves. Both bump ``compute_nodes.generation`` so a
claim that read an older inventory fails instead of overcommitting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_utils import uuidutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils

VCPU = 'VCPU'
MEMORY_MB = 'MEMORY_MB'
DISK_GB = 'DISK_GB'
STANDARD_RESOURCE_CLASSES = (VCPU, MEMORY_MB, DISK_GB)

_INVENTORY_FIELDS = ('total', 'reserved', 'min_unit', 'max_unit',
                     'step_size', 'allocation_ratio')


def _exists(values: Mapping[str, Any]) -> exception.Duplicate:
    return exception.ComputeNodeExists(
        node=values.get('hypervisor_hostname'), host=values.get('host'))


def _get(context: Any, node: str | int, *criteria: Any
         ) -> models.ComputeNode:
    row = context.session.scalars(
        sa.select(models.ComputeNode).where(*criteria)).first()
    if row is None:
        raise exception.ComputeNodeNotFound(node=node)
    return row


@engine.writer
def compute_node_create(context: Any,
                        values: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    node = models.ComputeNode(**values)
    context.session.add(node)
    utils.flush(context.session, lambda: _exists(values))
    return node.to_dict()


@engine.reader
def compute_node_get(context: Any, node_id: int) -> dict[str, Any]:
    return _get(context, node_id,
                models.ComputeNode.id == node_id).to_dict()


@engine.reader
def compute_node_get_by_uuid(context: Any, uuid: str) -> dict[str, Any]:
    return _get(context, uuid, models.ComputeNode.uuid == uuid).to_dict()


@engine.reader
def compute_node_get_by_host_and_nodename(context: Any, host: str,
                                          nodename: str) -> dict[str, Any]:
    return _get(context, nodename, models.ComputeNode.host == host,
                models.ComputeNode.hypervisor_hostname == nodename
                ).to_dict()


@engine.reader
def compute_node_get_all(context: Any, host: str | None = None
                         ) -> list[dict[str, Any]]:
    stmt = sa.select(models.ComputeNode).order_by(models.ComputeNode.id)
    if host is not None:
        stmt = stmt.where(models.ComputeNode.host == host)
    return utils.rows_to_dicts(context.session.scalars(stmt).all())


@engine.writer
def compute_node_update(context: Any, node_id: int,
                        values: Mapping[str, Any]) -> dict[str, Any]:
    """Update reported fields; ``generation`` is not the caller's to set."""
    if 'generation' in values:
        raise exception.Invalid(
            reason='generation changes only with inventory or claims')
    node = _get(context, node_id, models.ComputeNode.id == node_id)
    for key, value in values.items():
        setattr(node, key, value)
    utils.flush(context.session, lambda: _exists(node.to_dict()))
    return node.to_dict()


@engine.writer
def compute_node_delete(context: Any, node_id: int) -> None:
    """Delete a node with its inventory and allocations."""
    result = context.session.execute(
        sa.delete(models.ComputeNode)
        .where(models.ComputeNode.id == node_id))
    if result.rowcount == 0:
        raise exception.ComputeNodeNotFound(node=node_id)


@engine.writer
def bump_generation(context: Any, node_id: int,
                    seen: int | None = None) -> int:
    """Increment the node's generation; with ``seen``, only from ``seen``.

    This conditional UPDATE is the whole concurrency control of claims:
    it takes the row lock on every backend and succeeds for exactly one
    of several writers that read the same generation. Returns the new
    generation. Meant to run inside the caller's transaction, with the
    reads that justify the change.
    """
    table = models.ComputeNode
    stmt = (sa.update(table).where(table.id == node_id)
            .values(generation=table.generation + 1))
    if seen is not None:
        stmt = stmt.where(table.generation == seen)
    if context.session.execute(stmt).rowcount == 0:
        if seen is None:
            raise exception.ComputeNodeNotFound(node=node_id)
        raise exception.ResourceProviderGenerationConflict(node=node_id)
    return context.session.scalar(
        sa.select(table.generation).where(table.id == node_id))


def _inventory_row_values(resource_class: str,
                          inventory: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(inventory) - set(_INVENTORY_FIELDS)
    if unknown or 'total' not in inventory:
        raise exception.Invalid(
            reason=f'bad inventory for {resource_class}: needs total, '
                   f'may have {", ".join(_INVENTORY_FIELDS)}')
    values = {'reserved': 0, 'min_unit': 1, 'step_size': 1,
              'allocation_ratio': 1.0, 'max_unit': inventory['total']}
    values.update(inventory)
    return values


@utils.retry_on_deadlock
@engine.writer
def inventories_set(context: Any, node_id: int,
                    inventories: Mapping[str, Mapping[str, Any]]) -> int:
    """Replace the node's whole inventory; returns the new generation.

    ``inventories`` maps a resource class to its fields (``total`` is
    required; ``reserved``, ``min_unit``, ``max_unit``, ``step_size`` and
    ``allocation_ratio`` have defaults). Existing allocations are kept
    even if they no longer fit: the resource tracker reports what the
    hypervisor has, and refusing that would hide reality.
    """
    generation = bump_generation(context, node_id)
    existing = {
        row.resource_class: row for row in context.session.scalars(
            sa.select(models.Inventory)
            .where(models.Inventory.compute_node_id == node_id))}
    for resource_class, row in existing.items():
        if resource_class not in inventories:
            context.session.delete(row)
    for resource_class, inventory in inventories.items():
        values = _inventory_row_values(resource_class, inventory)
        row = existing.get(resource_class)
        if row is None:
            context.session.add(models.Inventory(
                compute_node_id=node_id, resource_class=resource_class,
                **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
    context.session.flush()
    return generation


@engine.reader
def inventories_get(context: Any, node_id: int
                    ) -> dict[str, dict[str, Any]]:
    """The node's inventory by resource class."""
    rows = context.session.scalars(
        sa.select(models.Inventory)
        .where(models.Inventory.compute_node_id == node_id)).all()
    return {row.resource_class: {field: getattr(row, field)
                                 for field in _INVENTORY_FIELDS}
            for row in rows}
