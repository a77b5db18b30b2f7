"""Helpers shared by the data-access modules."""

from __future__ import annotations

import contextlib
import functools
import random
import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any
from typing import TypeVar

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import utils as sqlalchemyutils
from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import timeutils

from nova import exception

LOG = logging.getLogger(__name__)

F = TypeVar('F', bound=Callable[..., Any])

MAX_RETRIES = 10


def _retriable(exc: BaseException | None) -> bool:
    """Whether the database gave up on the transaction, not on our data.

    Follows the exception chain: when MySQL rolls back a deadlocked
    transaction, the SAVEPOINT it was in vanishes with it, and the error
    we see is the failing ROLLBACK TO SAVEPOINT, with the deadlock as its
    context.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, db_exc.DBDeadlock):
            return True
        # SQLite reports lock contention, e.g. two transactions that both
        # read and now want to write, as "database is locked", at once and
        # without waiting; oslo.db passes that error on untranslated.
        if (isinstance(exc, (sa.exc.OperationalError, db_exc.DBError))
                and 'database is locked' in str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def in_transaction(context: Any) -> bool:
    """Whether ``context`` already has a transaction in this thread."""
    # The property raises NoEngineContextEstablished, an AttributeError,
    # outside a transaction.
    return getattr(context, 'transaction_ctx', None) is not None


def retry_on_deadlock(fn: F | None = None, *,
                      also: tuple[type[Exception], ...] = ()) -> Any:
    """Re-run ``fn`` in a new transaction when the database gave up on it.

    Retries deadlocks, SQLite lock errors and the exception types in
    ``also`` (e.g. lost generation races), with a random back-off so the
    racers do not collide again. Only the outermost transaction can be
    retried: inside a caller's transaction the error propagates, so the
    caller (or its own retry) starts over from a clean state. Must sit
    above ``engine.writer``.
    """
    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(context: Any, *args: Any, **kwargs: Any) -> Any:
            if in_transaction(context):
                return func(context, *args, **kwargs)
            attempt = 0
            while True:
                try:
                    return func(context, *args, **kwargs)
                except Exception as exc:
                    retriable = isinstance(exc, also) or _retriable(exc)
                    if attempt == MAX_RETRIES or not retriable:
                        raise
                    LOG.debug('Retrying %s after %s', func.__qualname__,
                              exc)
                time.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 6)))
                attempt += 1

        return wrapper  # type: ignore[return-value]

    return decorate(fn) if fn is not None else decorate


@contextlib.contextmanager
def translate_duplicate(error: Callable[[], exception.Duplicate]
                        ) -> Iterator[None]:
    """Turn a unique-constraint violation into our ``Duplicate`` error.

    ``error`` builds the exception lazily because the message usually
    needs values only known at the call site.
    """
    try:
        yield
    except db_exc.DBDuplicateEntry as exc:
        raise error() from exc


def flush(session: Any, error: Callable[[], exception.Duplicate]) -> None:
    """Flush now so a duplicate shows up here, translated."""
    with translate_duplicate(error):
        session.flush()


def filter_deleted(stmt: sa.Select, model: Any, read_deleted: str
                   ) -> sa.Select:
    """Apply ``read_deleted`` ('no', 'yes', 'only') to a soft-delete model."""
    if read_deleted == 'no':
        return stmt.where(model.deleted == 0)
    if read_deleted == 'only':
        return stmt.where(model.deleted != 0)
    return stmt


def soft_delete_values(model: Any) -> dict[str, Any]:
    """UPDATE values that soft delete rows of ``model``: deleted = id.

    Tables keyed by a string (images) get ``deleted = 1``; none of them
    has a unique constraint that includes ``deleted``. ``updated_at``
    moves too (through the column's ``onupdate``), so that
    ``changes-since`` queries see deletions.
    """
    integer_key = isinstance(model.id.type, sa.Integer)
    return {'deleted': model.id if integer_key else 1,
            'deleted_at': timeutils.utcnow()}


def paginate(stmt: sa.Select, model: Any, limit: int | None,
             sort_keys: Sequence[str], sort_dirs: Sequence[str],
             marker: Any = None) -> sa.Select:
    """Sort and page ``stmt``; ``marker`` is the last row already seen.

    ``id`` is appended to the sort keys when missing so the order is total
    and paging never skips or repeats rows.
    """
    sort_keys = list(sort_keys)
    sort_dirs = list(sort_dirs)
    if 'id' not in sort_keys:
        sort_keys.append('id')
        sort_dirs.append(sort_dirs[0] if sort_dirs else 'asc')
    try:
        return sqlalchemyutils.paginate_query(
            stmt, model, limit, sort_keys, marker=marker,
            sort_dirs=sort_dirs)
    except db_exc.InvalidSortKey as exc:
        raise exception.Invalid(
            reason=f'Invalid sort key: {exc.key}') from exc
    except ValueError as exc:
        raise exception.Invalid(reason=str(exc)) from exc


def dump_json(value: Any) -> str | None:
    return None if value is None else jsonutils.dumps(value)


def load_json(text: str | None) -> Any:
    return None if text is None else jsonutils.loads(text)


def rows_to_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [row.to_dict() for row in rows]
