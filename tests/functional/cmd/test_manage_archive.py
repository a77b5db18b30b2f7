"""``nova-manage db archive_deleted_rows`` and ``db purge`` against a
real database (SQLite, MariaDB, PostgreSQL), run as an operator does."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from nova.db.api import instance_faults
from nova.db.api import instance_metadata
from nova.db.api import instances
from nova.db.api import migrations
from nova.db.api import request_specs
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.cmd.test_manage_db import nova_manage
from tests.functional.cmd.test_manage_db import write_config

# The archive's SQL (INSERT ... SELECT, DELETE with subqueries, LIMIT)
# differs by backend: every test runs on each, but for argument checks.


@pytest.fixture
def config(db: str, tmp_path) -> Iterator:
    """nova.conf for ``db``; drops the shadow tables afterwards (the
    shared test database is wiped table by table of the models only)."""
    yield write_config(tmp_path, db)
    engine = database.create_engine(db)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine, only=lambda name, _: name.startswith(
            'shadow_'))
        metadata.drop_all(engine)
    finally:
        engine.dispose()


def _count(url: str, table: str, where: str = '') -> int:
    engine = database.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(
                f'SELECT COUNT(*) FROM {table} {where}')).scalar_one()
    finally:
        engine.dispose()


def _deleted_server(ctxt, **overrides) -> dict:
    """A server with metadata, a fault, an action, a request spec and a
    migration, then deleted the way the API deletes it."""
    server = factories.make_instance(ctxt, **overrides)
    instance_metadata.instance_metadata_update(ctxt, server['uuid'],
                                               {'role': 'web'}, False)
    instance_faults.instance_fault_create(ctxt, {
        'instance_uuid': server['uuid'], 'code': 500, 'message': 'boom'})
    factories.make_instance_action(ctxt, server, events=(
        ('compute_build', 'Success', None),))
    request_specs.request_spec_create(ctxt, server['uuid'], {})
    factories.make_migration(ctxt, instance_uuid=server['uuid'],
                             status='confirmed')
    instances.instance_destroy(ctxt, server['uuid'])
    return server


@database.all_backends
def test_archive_moves_deleted_servers_and_their_rows(db, config) -> None:
    ctxt = factories.admin_context()
    gone = _deleted_server(ctxt)
    live = factories.make_instance(ctxt)
    instance_metadata.instance_metadata_update(ctxt, live['uuid'],
                                               {'role': 'db'}, False)
    factories.make_instance_action(ctxt, live)
    # A finished migration of a live server, soft deleted on its own.
    lone = factories.make_migration(ctxt, instance_uuid=live['uuid'])
    migrations.migration_update(ctxt, lone['id'], {'status': 'confirmed'})
    engine = database.create_engine(db)
    with engine.begin() as conn:
        conn.execute(sa.text(
            'UPDATE migrations SET deleted = id, deleted_at = :now '
            'WHERE id = :id'), {'now': datetime.datetime(2020, 1, 1),
                                'id': lone['id']})
    engine.dispose()

    result = nova_manage('db', 'archive_deleted_rows', '--verbose',
                         config=config)

    assert result.returncode == 1, result.stderr   # upstream: rows moved
    assert '| instances ' in result.stdout
    assert 'Archived' in result.stdout and '1 deleted servers' in \
        result.stdout
    where = f"WHERE instance_uuid = '{gone['uuid']}'"
    for table in ('instance_metadata', 'instance_faults', 'instance_extra',
                  'instance_actions', 'request_specs', 'migrations'):
        assert _count(db, table, where) == 0, table
        assert _count(db, f'shadow_{table}', where) >= 1, table
    assert _count(db, 'shadow_instance_actions_events') == 1
    assert _count(db, 'shadow_instances') == 1
    assert _count(db, 'shadow_migrations', f"WHERE id = {lone['id']}") == 1
    # The live server keeps everything.
    keep = f"WHERE instance_uuid = '{live['uuid']}'"
    assert _count(db, 'instances', 'WHERE deleted = 0') == 1
    assert _count(db, 'instance_metadata', keep) == 1
    assert _count(db, 'instance_actions', keep) == 1

    again = nova_manage('db', 'archive_deleted_rows', config=config)
    assert (again.returncode, again.stdout) == (0, 'Nothing was archived.\n')


@database.all_backends
def test_max_rows_before_and_until_complete(db, config) -> None:
    ctxt = factories.admin_context()
    for _ in range(3):
        _deleted_server(ctxt)

    old = nova_manage('db', 'archive_deleted_rows', '--before',
                      '2000-01-01', config=config)
    assert old.returncode == 0 and 'Nothing' in old.stdout

    one = nova_manage('db', 'archive_deleted_rows', '--max_rows', '1',
                      config=config)
    assert one.returncode == 1, one.stderr
    assert _count(db, 'shadow_instances') == 1
    assert _count(db, 'instances') == 2

    rest = nova_manage('db', 'archive_deleted_rows', '--max-rows', '1',
                       '--until-complete', '--before', '2999-01-01',
                       config=config)
    assert rest.returncode == 1, rest.stderr
    assert _count(db, 'instances') == 0
    assert _count(db, 'shadow_instances') == 3


@database.all_backends
def test_purge(db, config) -> None:
    ctxt = factories.admin_context()
    _deleted_server(ctxt)
    assert nova_manage('db', 'archive_deleted_rows',
                       config=config).returncode == 1

    nothing = nova_manage('db', 'purge', '--before', '2000-01-01',
                          config=config)
    assert nothing.returncode == 3 and 'Nothing was purged' in nothing.stdout
    assert _count(db, 'shadow_instances') == 1

    purged = nova_manage('db', 'purge', '--before', '2999-01-01',
                         '--verbose', config=config)
    assert purged.returncode == 0, purged.stderr
    assert '| instances ' in purged.stdout
    for table in ('instances', 'instance_metadata', 'instance_actions',
                  'instance_actions_events', 'migrations'):
        assert _count(db, f'shadow_{table}') == 0, table

    _deleted_server(ctxt)
    nova_manage('db', 'archive_deleted_rows', config=config)
    assert nova_manage('db', 'purge', '--all',
                       config=config).returncode == 0
    assert _count(db, 'shadow_instances') == 0


def test_bad_arguments_are_clean_errors(db, config) -> None:
    bad_date = nova_manage('db', 'archive_deleted_rows', '--before',
                           'yesterday', config=config)
    bad_rows = nova_manage('db', 'archive_deleted_rows', '--max_rows', '0',
                           config=config)
    no_scope = nova_manage('db', 'purge', config=config)
    bad_purge_date = nova_manage('db', 'purge', '--before', 'soon',
                                 config=config)

    assert bad_date.returncode == 4 and "'yesterday'" in bad_date.stderr
    assert bad_rows.returncode == 2 and '--max_rows' in bad_rows.stderr
    assert no_scope.returncode == 1 and '--all' in no_scope.stderr
    assert bad_purge_date.returncode == 2
    for result in (bad_date, bad_rows, no_scope, bad_purge_date):
        assert 'Traceback' not in result.stderr


@database.all_backends
def test_shadow_table_gains_new_columns(db, config) -> None:
    # A shadow table made before the live table gained columns (here:
    # one with only id and instance_uuid; "key" is reserved on MySQL).
    engine = database.create_engine(db)
    with engine.begin() as conn:
        metadata = sa.MetaData()
        sa.Table('shadow_instance_metadata', metadata,
                 sa.Column('id', sa.Integer),
                 sa.Column('instance_uuid', sa.String(36)))
        metadata.create_all(conn)
    engine.dispose()
    gone = _deleted_server(factories.admin_context())

    result = nova_manage('db', 'archive_deleted_rows', config=config)

    assert result.returncode == 1, result.stderr
    engine = database.create_engine(db)
    try:
        columns = {c['name'] for c in sa.inspect(engine).get_columns(
            'shadow_instance_metadata')}
        with engine.connect() as conn:
            archived = conn.execute(sa.text(
                'SELECT instance_uuid, value FROM shadow_instance_metadata'
            )).all()
    finally:
        engine.dispose()
    assert {'key', 'value', 'deleted', 'deleted_at'} <= columns
    assert archived == [(gone['uuid'], 'web')]
