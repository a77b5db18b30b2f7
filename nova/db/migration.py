"""Create and upgrade the database schema with alembic.

``nova-manage db sync`` calls ``db_sync``; tests call it with an engine
of their own. Without ``engine``, the enginefacade engine built from
``[database] connection`` is used.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import sqlalchemy as sa
from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
from alembic.script import revision as alembic_revision
from alembic.util import exc as alembic_exc
from oslo_db import exception as db_exc
from oslo_log import log as logging

from nova.db import engine as db_engine

LOG = logging.getLogger(__name__)

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), 'migrations')


def _engine(engine: sa.engine.Engine | None) -> sa.engine.Engine:
    return engine if engine is not None else db_engine.get_engine()


def _config(connection: sa.engine.Connection) -> alembic_config.Config:
    config = alembic_config.Config(
        os.path.join(MIGRATIONS_DIR, 'alembic.ini'))
    config.set_main_option('script_location', MIGRATIONS_DIR)
    config.attributes['connection'] = connection
    return config


@contextlib.contextmanager
def _migrating(
        engine: sa.engine.Engine | None) -> Iterator[alembic_config.Config]:
    """An alembic config bound to one connection, committed at the end.

    Alembic errors (unknown or unreachable revisions) become
    ``DBMigrationError`` so callers need not know alembic.
    """
    with _engine(engine).begin() as connection:
        try:
            yield _config(connection)
        except (alembic_exc.CommandError,
                alembic_revision.RevisionError) as exc:
            raise db_exc.DBMigrationError(str(exc)) from exc


def head() -> str:
    """The newest revision this code knows."""
    script = alembic_script.ScriptDirectory(MIGRATIONS_DIR)
    return script.get_current_head()


def db_sync(version: str | None = None,
            engine: sa.engine.Engine | None = None) -> None:
    """Upgrade the schema to ``version`` (default: the newest).

    Downgrades are refused: they would drop data. Use ``db_downgrade`` in
    tests or when you have a backup to restore.
    """
    target = version or 'head'
    current = db_version(engine)
    if current is not None and target != 'head':
        _refuse_downgrade(current, target)
    LOG.debug('Upgrading database schema from %s to %s', current, target)
    with _migrating(engine) as config:
        alembic_command.upgrade(config, target)


def _refuse_downgrade(current: str, target: str) -> None:
    script = alembic_script.ScriptDirectory(MIGRATIONS_DIR)
    try:
        wanted = script.get_revision(target)
    except (alembic_exc.CommandError,
            alembic_revision.RevisionError) as exc:
        raise db_exc.DBMigrationError(str(exc)) from exc
    # 'base' resolves to no revision at all.
    if wanted is None or (wanted.revision != current and
                          wanted.revision in _ancestors(script, current)):
        raise db_exc.DBMigrationError(
            f'Database is at revision {current}, newer than {target}; '
            'downgrading is not supported.')


def db_downgrade(version: str = 'base',
                 engine: sa.engine.Engine | None = None) -> None:
    """Downgrade the schema to ``version``; every dropped table is lost."""
    with _migrating(engine) as config:
        alembic_command.downgrade(config, version)


def db_version(engine: sa.engine.Engine | None = None) -> str | None:
    """The schema's alembic revision, or None for an unversioned one."""
    with _engine(engine).connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()


_BOOLEAN_LITERALS = {'0': False, 'false': False, '1': True, 'true': True}


def compare_server_default(context: alembic_migration.MigrationContext,
                           inspected_column: sa.Column,
                           metadata_column: sa.Column,
                           inspected_default: str | None,
                           metadata_default: sa.schema.DefaultClause | None,
                           rendered_metadata_default: str | None,
                           ) -> bool | None:
    """Alembic hook: tell a changed server default from a respelled one.

    MySQL has no boolean type and reflects ``DEFAULT false`` as ``'0'``;
    that is the same default, not a difference. Everything else goes to
    alembic's own comparison (None).
    """
    if not isinstance(metadata_column.type, sa.Boolean):
        return None
    if inspected_default is None or rendered_metadata_default is None:
        return None

    def _value(text: str) -> bool | None:
        return _BOOLEAN_LITERALS.get(text.strip("'\"()").lower())

    inspected = _value(inspected_default)
    declared = _value(rendered_metadata_default)
    if inspected is None or declared is None:
        return None
    return inspected != declared


def _ancestors(script: alembic_script.ScriptDirectory,
               revision: str) -> set[str]:
    return {rev.revision for rev in script.iterate_revisions(revision,
                                                             'base')}
