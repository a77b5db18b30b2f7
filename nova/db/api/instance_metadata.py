"""An instance's metadata, system metadata and extra (JSON) fields.

``nova.db.api.instances`` folds these into every instance dict; the
functions here also let callers change metadata without touching the
instance row's other columns.

Removing a key deletes its row (hard delete); the rows are soft deleted
only together with their instance. So the children of a live instance are
all live and those of a deleted one all deleted, and reads need no
``deleted`` filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils

EXTRA_FIELDS = ('flavor', 'numa_topology', 'pci_requests', 'trusted_certs',
                'keypairs', 'resources')

_KV_MODELS = {
    'metadata': models.InstanceMetadata,
    'system_metadata': models.InstanceSystemMetadata,
}


@engine.reader
def load_children(context: Any, uuids: Iterable[str]
                  ) -> dict[str, dict[str, Any]]:
    """{uuid: {'metadata': {}, 'system_metadata': {}, 'extra': {}}}."""
    uuids = list(uuids)
    children: dict[str, dict[str, Any]] = {
        uuid: {'metadata': {}, 'system_metadata': {},
               'extra': dict.fromkeys(EXTRA_FIELDS)}
        for uuid in uuids}
    if not uuids:
        return children
    for name, model in _KV_MODELS.items():
        rows = context.session.execute(
            sa.select(model.instance_uuid, model.key, model.value)
            .where(model.instance_uuid.in_(uuids)))
        for uuid, key, value in rows:
            children[uuid][name][key] = value
    for extra in context.session.scalars(
            sa.select(models.InstanceExtra)
            .where(models.InstanceExtra.instance_uuid.in_(uuids))):
        children[extra.instance_uuid]['extra'] = {
            field: utils.load_json(getattr(extra, field))
            for field in EXTRA_FIELDS}
    return children


@engine.writer
def write_children(context: Any, uuid: str, values: dict[str, Any],
                   create: bool = False) -> None:
    """Pop 'metadata', 'system_metadata' and 'extra' out of ``values``
    and store them; the dicts replace the instance's existing ones.
    """
    for name in _KV_MODELS:
        if name in values:
            _replace_kv(context, _KV_MODELS[name], uuid,
                        values.pop(name) or {})
    extra = values.pop('extra', None)
    if create or extra:
        _update_extra(context, uuid, extra or {})


def _replace_kv(context: Any, model: Any, uuid: str,
                items: Mapping[str, Any], delete: bool = True) -> None:
    existing = {row.key: row for row in context.session.scalars(
        sa.select(model).where(model.instance_uuid == uuid))}
    if delete:
        stale = [key for key in existing if key not in items]
        if stale:
            context.session.execute(
                sa.delete(model).where(model.instance_uuid == uuid,
                                       model.key.in_(stale)))
    for key, value in items.items():
        row = existing.get(key)
        if row is None:
            context.session.add(
                model(instance_uuid=uuid, key=key, value=value))
        elif row.value != value:
            row.value = value
    context.session.flush()


def _update_extra(context: Any, uuid: str, extra: Mapping[str, Any]
                  ) -> None:
    unknown = set(extra) - set(EXTRA_FIELDS)
    if unknown:
        raise exception.Invalid(
            reason=f'unknown instance extra fields: {sorted(unknown)}')
    row = context.session.scalars(
        sa.select(models.InstanceExtra)
        .where(models.InstanceExtra.instance_uuid == uuid)).first()
    if row is None:
        row = models.InstanceExtra(instance_uuid=uuid)
        context.session.add(row)
    for field, value in extra.items():
        setattr(row, field, utils.dump_json(value))
    context.session.flush()


@engine.writer
def soft_delete_children(context: Any, uuid: str) -> None:
    for model in (*_KV_MODELS.values(), models.InstanceExtra):
        context.session.execute(
            sa.update(model)
            .where(model.instance_uuid == uuid, model.deleted == 0)
            .values(**utils.soft_delete_values(model)))


def _live_instance(context: Any, uuid: str) -> None:
    found = context.session.scalar(
        sa.select(models.Instance.id)
        .where(models.Instance.uuid == uuid, models.Instance.deleted == 0))
    if found is None:
        raise exception.InstanceNotFound(instance_id=uuid)


@engine.reader
def instance_metadata_get(context: Any, uuid: str) -> dict[str, str]:
    _live_instance(context, uuid)
    return load_children(context, [uuid])[uuid]['metadata']


@utils.retry_on_deadlock
@engine.writer
def instance_metadata_update(context: Any, uuid: str,
                             metadata: Mapping[str, str],
                             delete: bool = False) -> dict[str, str]:
    """Merge ``metadata`` into the instance's (replace it if ``delete``).

    Returns the resulting metadata.
    """
    _live_instance(context, uuid)
    _replace_kv(context, models.InstanceMetadata, uuid, metadata,
                delete=delete)
    return load_children(context, [uuid])[uuid]['metadata']


@utils.retry_on_deadlock
@engine.writer
def instance_metadata_delete(context: Any, uuid: str, key: str) -> None:
    _live_instance(context, uuid)
    result = context.session.execute(
        sa.delete(models.InstanceMetadata)
        .where(models.InstanceMetadata.instance_uuid == uuid,
               models.InstanceMetadata.key == key))
    if result.rowcount == 0:
        raise exception.NotFound(
            f'Instance {uuid} has no metadata with key {key}.')


@engine.reader
def instance_system_metadata_get(context: Any, uuid: str
                                 ) -> dict[str, str]:
    """System metadata; of deleted instances too (usage audits need it)."""
    return load_children(context, [uuid])[uuid]['system_metadata']


@utils.retry_on_deadlock
@engine.writer
def instance_system_metadata_update(context: Any, uuid: str,
                                    metadata: Mapping[str, str],
                                    delete: bool = False) -> dict[str, str]:
    _live_instance(context, uuid)
    _replace_kv(context, models.InstanceSystemMetadata, uuid, metadata,
                delete=delete)
    return load_children(context, [uuid])[uuid]['system_metadata']


@utils.retry_on_deadlock
@engine.writer
def instance_extra_update(context: Any, uuid: str,
                          extra: Mapping[str, Any]) -> None:
    """Set some ``instance_extra`` fields (JSON-serialisable values)."""
    _live_instance(context, uuid)
    _update_extra(context, uuid, extra)
