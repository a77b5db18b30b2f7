"""``nova-manage db archive_deleted_rows`` and ``db purge``.

Archiving moves soft-deleted servers, and every row that belongs to
them, from the live tables to ``shadow_<table>`` tables in the same
database, so the live tables stay small while the history stays
queryable. Purging deletes rows from the shadow tables for good.

What is archived: instances with ``deleted != 0`` (and, with
``--before``, ``deleted_at`` before that time), together with the rows
keyed by their uuid (metadata, system metadata, extra, faults, actions
and their events, request specs, migrations), and soft-deleted
migrations of live servers. Nothing else: other tables are hard deleted,
and deleted images stay with the image service.

Shadow tables are not in the alembic migrations: the first archive run
creates each one with its live table's columns and types and no
constraints (no primary key either: MySQL may hand out an archived id
again, and a shadow table must never refuse a row). Later runs add any
column the live table gained since.

Every batch is one transaction: the rows are copied, then deleted,
children before their instances, so a failure leaves both sides whole.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from nova.db import engine as db_engine
from nova.db import models

SHADOW_PREFIX = 'shadow_'

# (table, column holding the instance uuid), children before parents.
# ``instance_actions_events`` hangs off ``instance_actions`` by id.
INSTANCE_CHILDREN = (
    ('instance_metadata', 'instance_uuid'),
    ('instance_system_metadata', 'instance_uuid'),
    ('instance_extra', 'instance_uuid'),
    ('instance_faults', 'instance_uuid'),
    ('request_specs', 'instance_uuid'),
    ('migrations', 'instance_uuid'),
)
EVENTS, ACTIONS, INSTANCES = ('instance_actions_events', 'instance_actions',
                              'instances')


def parse_before(text: str | None) -> datetime.datetime | None:
    """A naive UTC datetime from ``YYYY-MM-DD[ HH:MM[:SS]]`` (ISO 8601,
    an offset is converted to UTC); ValueError if unreadable."""
    if text is None:
        return None
    when = datetime.datetime.fromisoformat(text.strip())
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC).replace(tzinfo=None)
    return when


def _live(name: str) -> sa.Table:
    return models.Base.metadata.tables[name]


def _shadow_table(live: sa.Table, metadata: sa.MetaData) -> sa.Table:
    columns = [sa.Column(c.name, c.type, nullable=True)
               for c in live.columns]
    return sa.Table(SHADOW_PREFIX + live.name, metadata, *columns,
                    **{k: v for k, v in live.kwargs.items()
                       if k.startswith('mysql_')})


def ensure_shadow_tables(conn: sa.Connection) -> dict[str, sa.Table]:
    """Create missing shadow tables (and columns); {live name: shadow}."""
    metadata = sa.MetaData()
    names = [ACTIONS, EVENTS, INSTANCES] + [t for t, _ in INSTANCE_CHILDREN]
    shadows = {name: _shadow_table(_live(name), metadata) for name in names}
    metadata.create_all(conn, checkfirst=True)
    inspector = sa.inspect(conn)
    for shadow in shadows.values():
        present = {c['name'] for c in inspector.get_columns(shadow.name)}
        for column in shadow.columns:
            if column.name not in present:
                # The live table gained a column since the shadow was made.
                type_ = column.type.compile(dialect=conn.dialect)
                quote = conn.dialect.identifier_preparer.quote
                conn.execute(sa.text(
                    f'ALTER TABLE {quote(shadow.name)} ADD COLUMN '
                    f'{quote(column.name)} {type_}'))
    return shadows


def _move(conn: sa.Connection, live: sa.Table, shadow: sa.Table,
          where: Any) -> int:
    names = [c.name for c in live.columns]
    conn.execute(shadow.insert().from_select(
        names, sa.select(*[live.c[n] for n in names]).where(where)))
    return conn.execute(live.delete().where(where)).rowcount


def _archive_batch(conn: sa.Connection, shadows: dict[str, sa.Table],
                   max_rows: int, before: datetime.datetime | None
                   ) -> dict[str, int]:
    counts: dict[str, int] = {}
    instances = _live(INSTANCES)
    query = sa.select(instances.c.uuid).where(instances.c.deleted != 0)
    if before is not None:
        query = query.where(instances.c.deleted_at < before)
    uuids = list(conn.scalars(query.order_by(instances.c.id)
                              .limit(max_rows)))
    if uuids:
        actions = _live(ACTIONS)
        action_ids = sa.select(actions.c.id).where(
            actions.c.instance_uuid.in_(uuids)).scalar_subquery()
        counts[EVENTS] = _move(conn, _live(EVENTS), shadows[EVENTS],
                               _live(EVENTS).c.action_id.in_(action_ids))
        counts[ACTIONS] = _move(conn, actions, shadows[ACTIONS],
                                actions.c.instance_uuid.in_(uuids))
        for name, column in INSTANCE_CHILDREN:
            table = _live(name)
            counts[name] = _move(conn, table, shadows[name],
                                 table.c[column].in_(uuids))
        counts[INSTANCES] = _move(conn, instances, shadows[INSTANCES],
                                  instances.c.uuid.in_(uuids))
    # Finished migrations of servers that still exist, soft deleted alone.
    migrations = _live('migrations')
    query = sa.select(migrations.c.id).where(migrations.c.deleted != 0)
    if before is not None:
        query = query.where(migrations.c.deleted_at < before)
    ids = list(conn.scalars(query.order_by(migrations.c.id)
                            .limit(max_rows)))
    if ids:
        counts['migrations'] = counts.get('migrations', 0) + _move(
            conn, migrations, shadows['migrations'],
            migrations.c.id.in_(ids))
    return {name: n for name, n in counts.items() if n}


def archive_deleted_rows(max_rows: int, before: datetime.datetime | None,
                         until_complete: bool) -> dict[str, int]:
    """Move soft-deleted rows to the shadow tables; rows moved by table.

    ``max_rows`` caps the servers (and the lone migrations) of one
    batch; ``until_complete`` runs batches until one moves nothing.
    """
    totals: dict[str, int] = {}
    engine = db_engine.get_engine()
    with engine.begin() as conn:
        shadows = ensure_shadow_tables(conn)
    while True:
        with engine.begin() as conn:
            counts = _archive_batch(conn, shadows, max_rows, before)
        for name, count in counts.items():
            totals[name] = totals.get(name, 0) + count
        if not counts or not until_complete:
            return totals


def purge(before: datetime.datetime | None) -> dict[str, int]:
    """Delete archived rows for good (all of them when ``before`` is
    None, else those of servers and migrations deleted before it)."""
    engine = db_engine.get_engine()
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        shadows = ensure_shadow_tables(conn)
        instances = shadows[INSTANCES]
        old = sa.true() if before is None else instances.c.deleted_at < before
        uuids = sa.select(instances.c.uuid).where(old).scalar_subquery()
        actions = shadows[ACTIONS]
        action_ids = sa.select(actions.c.id).where(
            actions.c.instance_uuid.in_(uuids)).scalar_subquery()
        plan: list[tuple[str, Any]] = [
            (EVENTS, shadows[EVENTS].c.action_id.in_(action_ids)),
            (ACTIONS, actions.c.instance_uuid.in_(uuids))]
        plan += [(name, shadows[name].c[column].in_(uuids))
                 for name, column in INSTANCE_CHILDREN]
        if before is None:
            plan = [(name, sa.true()) for name, _ in plan]
        else:
            migrations = shadows['migrations']
            plan.append(('migrations', migrations.c.deleted_at < before))
        plan.append((INSTANCES, old))
        for name, where in plan:
            rows = conn.execute(shadows[name].delete().where(where)).rowcount
            if rows:
                counts[name] = counts.get(name, 0) + rows
    return counts


def print_counts(counts: dict[str, int], verb: str,
                 out: Any = sys.stdout) -> None:
    """The operator's table: rows per table, as upstream prints it."""
    rows: Iterable[tuple[str, str]] = [
        (name, str(n)) for name, n in sorted(counts.items())]
    header = ('Table', f'Number of Rows {verb}')
    widths = [max(len(r[i]) for r in [header, *rows]) for i in (0, 1)]
    line = '+' + '+'.join('-' * (w + 2) for w in widths) + '+'
    print(line, file=out)
    print('| ' + ' | '.join(h.ljust(w) for h, w in zip(
        header, widths, strict=True)) + ' |', file=out)
    print(line, file=out)
    for name, n in rows:
        print(f'| {name.ljust(widths[0])} | {n.rjust(widths[1])} |',
              file=out)
    print(line, file=out)


def archive_command(max_rows: int, before: str | None, verbose: bool,
                    until_complete: bool) -> int:
    if max_rows < 1:
        print('nova-manage: error: --max_rows must be at least 1',
              file=sys.stderr)
        return 2
    try:
        when = parse_before(before)
    except ValueError:
        print(f'nova-manage: error: --before {before!r} is not a date '
              f'(YYYY-MM-DD[ HH:MM[:SS]])', file=sys.stderr)
        return 4
    counts = archive_deleted_rows(max_rows, when, until_complete)
    if not counts:
        print('Nothing was archived.')
        return 0
    if verbose:
        print_counts(counts, 'Archived')
    print(f'Archived {sum(counts.values())} rows of '
          f"{counts.get(INSTANCES, 0)} deleted servers to the "
          f'{SHADOW_PREFIX}* tables.')
    return 1


def purge_command(before: str | None, purge_all: bool,
                  verbose: bool) -> int:
    if not purge_all and before is None:
        print('nova-manage: error: give --before DATE or --all',
              file=sys.stderr)
        return 1
    try:
        when = None if purge_all else parse_before(before)
    except ValueError:
        print(f'nova-manage: error: --before {before!r} is not a date '
              f'(YYYY-MM-DD[ HH:MM[:SS]])', file=sys.stderr)
        return 2
    counts = purge(when)
    if not counts:
        print('Nothing was purged.')
        return 3
    if verbose:
        print_counts(counts, 'Purged')
    print(f'Purged {sum(counts.values())} archived rows.')
    return 0
