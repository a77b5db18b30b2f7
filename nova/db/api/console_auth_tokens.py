"""Console authorisation tokens; only their SHA-256 hash is stored."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


def _now() -> int:
    return int(timeutils.utcnow_ts())


@engine.writer
def console_auth_token_create(context: Any, token: str,
                              values: Mapping[str, Any]) -> dict[str, Any]:
    """Store a token: ``console_type``, ``host``, ``port``,
    ``instance_uuid``, ``expires`` (UNIX time), ``internal_access_path``,
    ``access_url_base``. The token itself is not stored."""
    row = models.ConsoleAuthToken(token_hash=token_hash(token), **values)
    context.session.add(row)
    utils.flush(context.session, lambda: exception.Duplicate(
        resource='Console token for instance',
        name=values.get('instance_uuid')))
    return row.to_dict()


@engine.reader
def console_auth_token_get_valid(context: Any, token: str,
                                 instance_uuid: str | None = None
                                 ) -> dict[str, Any]:
    """The token's record if it exists and has not expired."""
    table = models.ConsoleAuthToken
    stmt = sa.select(table).where(table.token_hash == token_hash(token),
                                  table.expires > _now())
    if instance_uuid is not None:
        stmt = stmt.where(table.instance_uuid == instance_uuid)
    row = context.session.scalars(stmt).first()
    if row is None:
        raise exception.InvalidToken()
    return row.to_dict()


@engine.writer
def console_auth_token_destroy_all_by_instance(context: Any,
                                               instance_uuid: str) -> int:
    table = models.ConsoleAuthToken
    return context.session.execute(
        sa.delete(table).where(table.instance_uuid == instance_uuid)
    ).rowcount


@engine.writer
def console_auth_token_destroy_expired(context: Any,
                                       host: str | None = None) -> int:
    """Delete expired tokens (of one console proxy host if given)."""
    table = models.ConsoleAuthToken
    stmt = sa.delete(table).where(table.expires <= _now())
    if host is not None:
        stmt = stmt.where(table.host == host)
    return context.session.execute(stmt).rowcount
