"""Quota limits and the usage counters checked against them.

Limits live at three levels (user, project, quota class); the quota
engine above this layer decides which applies. Usages are counters per
project (``user_id == PROJECT_USAGE``) and per user, moved by
``reserve``/``release`` with conditional UPDATEs:

    UPDATE quota_usages SET in_use = in_use + :delta
     WHERE project_id = :p AND user_id = :u AND resource = :r
       AND in_use + reserved + :delta <= :limit

The database evaluates the condition on the row's latest committed value
under the row lock (on SQLite, under the database write lock), so
concurrent reservations can never together exceed a limit, without any
SELECT ... FOR UPDATE or application lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils
from nova.db.models.quota import PROJECT_USAGE

UNLIMITED = -1


def _limits(context: Any, model: Any, *criteria: Any) -> dict[str, int]:
    return {row.resource: row.hard_limit for row in context.session.scalars(
        sa.select(model).where(*criteria))}


@engine.reader
def quota_get_all_by_project(context: Any, project_id: str
                             ) -> dict[str, int]:
    """The project's own limits, {resource: hard_limit}."""
    return _limits(context, models.Quota,
                   models.Quota.project_id == project_id)


@engine.reader
def quota_get_all_by_project_and_user(context: Any, project_id: str,
                                      user_id: str) -> dict[str, int]:
    """The user's own limits within the project, {resource: hard_limit}."""
    table = models.ProjectUserQuota
    return _limits(context, table, table.project_id == project_id,
                   table.user_id == user_id)


@engine.reader
def quota_class_get_all_by_name(context: Any, class_name: str
                                ) -> dict[str, int]:
    """Limits of a quota class ('default' applies to everyone)."""
    return _limits(context, models.QuotaClass,
                   models.QuotaClass.class_name == class_name)


def _upsert(context: Any, model: Any, keys: Mapping[str, Any],
            hard_limit: int) -> None:
    row = context.session.scalars(
        sa.select(model).where(*(getattr(model, key) == value
                                 for key, value in keys.items()))).first()
    if row is None:
        context.session.add(model(hard_limit=hard_limit, **keys))
    else:
        row.hard_limit = hard_limit
    context.session.flush()


# Two admins setting the same new limit at once: the loser's INSERT is a
# duplicate, and its retry updates the winner's row.
@utils.retry_on_deadlock(also=(db_exc.DBDuplicateEntry,))
@engine.writer
def quota_set(context: Any, project_id: str, resource: str,
              hard_limit: int, user_id: str | None = None) -> None:
    """Set a project's (or, with ``user_id``, a user's) limit."""
    if user_id is None:
        _upsert(context, models.Quota,
                {'project_id': project_id, 'resource': resource},
                hard_limit)
    else:
        _upsert(context, models.ProjectUserQuota,
                {'project_id': project_id, 'user_id': user_id,
                 'resource': resource}, hard_limit)


@utils.retry_on_deadlock(also=(db_exc.DBDuplicateEntry,))
@engine.writer
def quota_class_set(context: Any, class_name: str, resource: str,
                    hard_limit: int) -> None:
    _upsert(context, models.QuotaClass,
            {'class_name': class_name, 'resource': resource}, hard_limit)


@engine.writer
def quota_destroy_all_by_project(context: Any, project_id: str) -> None:
    """Forget a project's limits (its users' too) and its usages."""
    for model in (models.Quota, models.ProjectUserQuota,
                  models.QuotaUsage):
        context.session.execute(
            sa.delete(model).where(model.project_id == project_id))


@engine.writer
def quota_destroy_all_by_project_and_user(context: Any, project_id: str,
                                          user_id: str) -> None:
    for model in (models.ProjectUserQuota, models.QuotaUsage):
        context.session.execute(
            sa.delete(model).where(model.project_id == project_id,
                                   model.user_id == user_id))


def _usages(context: Any, project_id: str, owner: str
            ) -> dict[str, dict[str, int]]:
    table = models.QuotaUsage
    return {row.resource: {'in_use': row.in_use, 'reserved': row.reserved}
            for row in context.session.scalars(
                sa.select(table).where(table.project_id == project_id,
                                       table.user_id == owner))}


@engine.reader
def quota_usage_get_all_by_project(context: Any, project_id: str
                                   ) -> dict[str, dict[str, int]]:
    """{resource: {'in_use': n, 'reserved': n}} of the whole project."""
    return _usages(context, project_id, PROJECT_USAGE)


@engine.reader
def quota_usage_get_all_by_project_and_user(context: Any, project_id: str,
                                            user_id: str
                                            ) -> dict[str, dict[str, int]]:
    return _usages(context, project_id, user_id)


def _ensure_usage_rows(context: Any, project_id: str,
                       wanted: set[tuple[str, str]]) -> None:
    """Create missing (owner, resource) usage rows at zero.

    Each INSERT runs in a savepoint: when a concurrent reservation created
    the same row first, only the savepoint is rolled back and the row the
    other transaction made is used.
    """
    table = models.QuotaUsage
    existing = set(context.session.execute(
        sa.select(table.user_id, table.resource)
        .where(table.project_id == project_id,
               table.user_id.in_({owner for owner, _ in wanted}),
               table.resource.in_({resource for _, resource in wanted}))))
    for owner, resource in sorted(wanted - existing):
        try:
            with context.session.begin_nested():
                context.session.add(models.QuotaUsage(
                    project_id=project_id, user_id=owner, resource=resource,
                    in_use=0, reserved=0))
        except db_exc.DBDuplicateEntry:
            pass


def _apply(context: Any, project_id: str, owner: str, resource: str,
           delta: int, limit: int) -> bool:
    """Move one counter by ``delta`` unless that would pass ``limit``."""
    table = models.QuotaUsage
    stmt = sa.update(table).where(table.project_id == project_id,
                                  table.user_id == owner,
                                  table.resource == resource)
    if delta >= 0:
        stmt = stmt.values(in_use=table.in_use + delta)
        if limit != UNLIMITED:
            stmt = stmt.where(
                table.in_use + table.reserved + delta <= limit)
    else:
        # Giving back is always allowed, even above a since-lowered limit;
        # the floor keeps a double release from going negative.
        stmt = stmt.values(in_use=sa.case(
            (table.in_use + delta < 0, 0), else_=table.in_use + delta))
    return context.session.execute(stmt).rowcount == 1


@utils.retry_on_deadlock
@engine.writer
def reserve(context: Any, project_id: str, user_id: str | None,
            deltas: Mapping[str, int], limits: Mapping[str, int],
            user_limits: Mapping[str, int] | None = None) -> None:
    """Atomically add ``deltas`` to the project's and user's usage.

    ``limits`` are the project's effective limits and ``user_limits`` the
    user's ({resource: hard_limit}, -1 or missing for unlimited). Either
    every counter moves or none does: when any resource would pass its
    limit, ``OverQuota`` names all such resources and nothing changes,
    even inside a caller's transaction. Negative deltas give back.
    Without ``user_id`` only the project's counters move.
    """
    user_limits = user_limits or {}
    levels = [(PROJECT_USAGE, limits)]
    if user_id is not None:
        levels.append((user_id, user_limits))
    owners = [owner for owner, _ in levels]
    _ensure_usage_rows(context, project_id,
                       {(owner, resource) for owner in owners
                        for resource in deltas})
    overs: set[str] = set()
    savepoint = context.session.begin_nested()
    try:
        # One fixed order (resource, then project before user), so two
        # reservations lock rows in the same order and cannot deadlock.
        for resource in sorted(deltas):
            for owner, resource_limits in levels:
                limit = resource_limits.get(resource, UNLIMITED)
                if not _apply(context, project_id, owner, resource,
                              deltas[resource], limit):
                    overs.add(resource)
    except BaseException:
        savepoint.rollback()
        raise
    if overs:
        savepoint.rollback()
        raise exception.OverQuota(
            overs=', '.join(sorted(overs)), resources=sorted(overs),
            quotas=dict(limits), user_quotas=dict(user_limits))
    savepoint.commit()


@utils.retry_on_deadlock
@engine.writer
def release(context: Any, project_id: str, user_id: str | None,
            deltas: Mapping[str, int]) -> None:
    """Give back what ``reserve`` took (``deltas`` are positive)."""
    reserve(context, project_id, user_id,
            {resource: -abs(delta) for resource, delta in deltas.items()},
            limits={})


@utils.retry_on_deadlock
@engine.writer
def usage_set(context: Any, project_id: str, resource: str, in_use: int,
              user_id: str | None = None) -> None:
    """Overwrite a usage counter, e.g. after recounting real instances."""
    owner = PROJECT_USAGE if user_id is None else user_id
    _ensure_usage_rows(context, project_id, {(owner, resource)})
    table = models.QuotaUsage
    context.session.execute(
        sa.update(table).where(table.project_id == project_id,
                               table.user_id == owner,
                               table.resource == resource)
        .values(in_use=in_use))
