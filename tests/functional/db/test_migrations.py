"""The alembic migrations against every backend.

The drift test is what keeps the hand-written migrations and the models
honest: after upgrading, alembic's autogenerate comparison between the
models and the real schema must find nothing at all.
"""

import pprint

import pytest
import sqlalchemy as sa
from alembic import autogenerate
from alembic import migration as alembic_migration
from oslo_db import exception as db_exc

from nova.db import migration
from nova.db import models
from tests.fixtures import database


@pytest.fixture
def eng(empty_database):
    eng = database.create_engine(empty_database)
    yield eng
    eng.dispose()


def _tables(eng):
    return set(sa.inspect(eng).get_table_names()) - {'alembic_version'}


def _diff(eng, metadata):
    with eng.connect() as conn:
        context = alembic_migration.MigrationContext.configure(
            conn, opts={
                'compare_type': True,
                'compare_server_default': migration.compare_server_default,
            })
        return autogenerate.compare_metadata(context, metadata)


@database.all_backends
def test_upgrade_from_empty_reaches_head(eng):
    assert migration.db_version(eng) is None

    migration.db_sync(engine=eng)

    assert migration.db_version(eng) == migration.head()
    assert _tables(eng) == set(models.Base.metadata.tables)


@database.all_backends
def test_sync_twice_is_harmless(eng):
    migration.db_sync(engine=eng)
    migration.db_sync(engine=eng)

    assert migration.db_version(eng) == migration.head()


@database.all_backends
def test_downgrade_to_base_removes_everything(eng, backend):
    migration.db_sync(engine=eng)

    migration.db_downgrade('base', engine=eng)

    assert migration.db_version(eng) is None
    assert _tables(eng) == set()
    if backend == database.POSTGRESQL:
        with eng.connect() as conn:
            types = conn.scalars(sa.text(
                "SELECT typname FROM pg_type WHERE typtype = 'e'")).all()
        assert 'keypair_types' not in types
    # And the way back up works again.
    migration.db_sync(engine=eng)
    assert migration.db_version(eng) == migration.head()


@database.all_backends
def test_models_match_migrated_schema(eng):
    migration.db_sync(engine=eng)

    diff = _diff(eng, models.Base.metadata)

    assert diff == [], pprint.pformat(diff)


@database.all_backends
def test_drift_check_sees_differences(eng):
    # Guard against a comparison that silently compares nothing.
    migration.db_sync(engine=eng)
    metadata = sa.MetaData()
    for table in models.Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    services = metadata.tables['services']
    services.append_column(sa.Column('extra', sa.String(20)))
    sa.Index('services_binary_idx', services.c.binary)
    services.c.disabled.server_default = sa.schema.DefaultClause(sa.true())

    kinds = {(change[0] if isinstance(change, tuple) else change[0][0])
             for change in _diff(eng, metadata)}

    assert {'add_column', 'add_index', 'modify_default'} <= kinds


def test_downgrade_by_sync_is_refused(eng):
    migration.db_sync(engine=eng)

    with pytest.raises(db_exc.DBMigrationError, match='not supported'):
        migration.db_sync('base', engine=eng)


def test_unknown_revision_is_an_error(eng):
    with pytest.raises(db_exc.DBMigrationError, match='nope'):
        migration.db_sync('nope', engine=eng)
    migration.db_sync(engine=eng)
    with pytest.raises(db_exc.DBMigrationError, match='nope'):
        migration.db_sync('nope', engine=eng)
