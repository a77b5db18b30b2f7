"""Key pairs, owned by users and unique by name per user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _get(context: Any, user_id: str, name: str) -> models.KeyPair:
    keypair = context.session.scalars(
        sa.select(models.KeyPair)
        .where(models.KeyPair.user_id == user_id,
               models.KeyPair.name == name)).first()
    if keypair is None:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
    return keypair


@engine.writer
def key_pair_create(context: Any, values: Mapping[str, Any]
                    ) -> dict[str, Any]:
    """``name``, ``user_id``, ``public_key``, ``fingerprint``, ``type``."""
    keypair = models.KeyPair(**values)
    context.session.add(keypair)
    utils.flush(context.session,
                lambda: exception.KeyPairExists(key_name=values.get('name')))
    return keypair.to_dict()


@engine.reader
def key_pair_get(context: Any, user_id: str, name: str) -> dict[str, Any]:
    return _get(context, user_id, name).to_dict()


@engine.reader
def key_pair_get_all_by_user(context: Any, user_id: str,
                             limit: int | None = None,
                             marker: str | None = None
                             ) -> list[dict[str, Any]]:
    """A user's key pairs by name; ``marker`` is the last name seen."""
    table = models.KeyPair
    stmt = sa.select(table).where(table.user_id == user_id)
    marker_row = None
    if marker is not None:
        marker_row = context.session.scalars(
            sa.select(table).where(table.user_id == user_id,
                                   table.name == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    stmt = utils.paginate(stmt, table, limit, ['name'], ['asc'],
                          marker_row)
    return utils.rows_to_dicts(context.session.scalars(stmt).all())


@engine.reader
def key_pair_count_by_user(context: Any, user_id: str) -> int:
    return context.session.scalar(
        sa.select(sa.func.count(models.KeyPair.id))
        .where(models.KeyPair.user_id == user_id))


@engine.writer
def key_pair_destroy(context: Any, user_id: str, name: str) -> None:
    result = context.session.execute(
        sa.delete(models.KeyPair)
        .where(models.KeyPair.user_id == user_id,
               models.KeyPair.name == name))
    if result.rowcount == 0:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
