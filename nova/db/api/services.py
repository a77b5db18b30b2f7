"""Service records: one row per running nova-* daemon and host."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _exists(values: dict[str, Any]) -> exception.Duplicate:
    return exception.ServiceExists(host=values.get('host'),
                                   binary=values.get('binary'))


@engine.writer
def service_create(context: Any, values: dict[str, Any]) -> dict[str, Any]:
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    service = models.Service(**values)
    context.session.add(service)
    utils.flush(context.session, lambda: _exists(values))
    return service.to_dict()


def _get(context: Any, error: exception.NotFound,
         *criteria: Any) -> models.Service:
    service = context.session.scalars(
        sa.select(models.Service).where(*criteria)).first()
    if service is None:
        raise error
    return service


@engine.reader
def service_get(context: Any, service_id: int) -> dict[str, Any]:
    return _get(context, exception.ServiceNotFound(service_id=service_id),
                models.Service.id == service_id).to_dict()


@engine.reader
def service_get_by_uuid(context: Any, uuid: str) -> dict[str, Any]:
    return _get(context, exception.ServiceNotFound(service_id=uuid),
                models.Service.uuid == uuid).to_dict()


@engine.reader
def service_get_by_host_and_binary(context: Any, host: str,
                                   binary: str) -> dict[str, Any]:
    return _get(context, exception.ServiceNotFound(service_id=host),
                models.Service.host == host,
                models.Service.binary == binary).to_dict()


@engine.reader
def service_get_by_compute_host(context: Any, host: str) -> dict[str, Any]:
    return _get(context, exception.ComputeHostNotFound(host=host),
                models.Service.host == host,
                models.Service.binary == 'nova-compute').to_dict()


@engine.reader
def service_get_all(context: Any, disabled: bool | None = None,
                    host: str | None = None, binary: str | None = None,
                    topic: str | None = None) -> list[dict[str, Any]]:
    """Services matching every filter given; ordered by id."""
    stmt = sa.select(models.Service).order_by(models.Service.id)
    if disabled is not None:
        stmt = stmt.where(models.Service.disabled == disabled)
    if host is not None:
        stmt = stmt.where(models.Service.host == host)
    if binary is not None:
        stmt = stmt.where(models.Service.binary == binary)
    if topic is not None:
        stmt = stmt.where(models.Service.topic == topic)
    return utils.rows_to_dicts(context.session.scalars(stmt).all())


@engine.writer
def service_update(context: Any, service_id: int,
                   values: dict[str, Any]) -> dict[str, Any]:
    service = _get(context, exception.ServiceNotFound(service_id=service_id),
                   models.Service.id == service_id)
    for key, value in values.items():
        setattr(service, key, value)
    utils.flush(context.session, lambda: _exists(service.to_dict()))
    return service.to_dict()


@engine.writer
def service_heartbeat(context: Any, service_id: int) -> None:
    """Record that the service is alive.

    One UPDATE that increments in SQL, so concurrent reporters (e.g. two
    workers of one service) never lose a count.
    """
    result = context.session.execute(
        sa.update(models.Service)
        .where(models.Service.id == service_id)
        .values(report_count=models.Service.report_count + 1,
                last_seen_up=timeutils.utcnow()))
    if result.rowcount == 0:
        raise exception.ServiceNotFound(service_id=service_id)


@engine.writer
def service_destroy(context: Any, service_id: int) -> None:
    """Delete a service; its compute nodes and their allocations go too."""
    result = context.session.execute(
        sa.delete(models.Service).where(models.Service.id == service_id))
    if result.rowcount == 0:
        raise exception.ServiceNotFound(service_id=service_id)
