"""Alembic environment: which database to migrate and how.

The database is, in order of preference:

1. ``config.attributes['connection']``: an Engine or Connection handed in
   by ``nova.db.migration`` (and by tests);
2. ``-x url=...`` on the alembic command line, for developers;
3. the enginefacade engine built from ``[database] connection``.
"""

from __future__ import annotations

import logging.config

import sqlalchemy as sa
from alembic import context

from nova.db import migration
from nova.db import models

config = context.config
target_metadata = models.Base.metadata

if config.config_file_name is not None and not config.attributes.get(
        'connection'):
    # Only alembic's own command line brings an ini file with logging;
    # inside nova-manage, oslo.log has configured logging already.
    logging.config.fileConfig(config.config_file_name,
                              disable_existing_loggers=False)


def _connectable() -> sa.engine.Connection | sa.engine.Engine:
    connectable = config.attributes.get('connection')
    if connectable is not None:
        return connectable
    url = context.get_x_argument(as_dictionary=True).get('url')
    if url:
        return sa.create_engine(url)
    from nova.db import engine
    return engine.get_engine()


def _run(connection: sa.engine.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table.
        render_as_batch=connection.dialect.name == 'sqlite',
        compare_type=True,
        compare_server_default=migration.compare_server_default,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get('url')
    context.configure(url=url, target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = _connectable()
    if isinstance(connectable, sa.engine.Connection):
        _run(connectable)
        return
    with connectable.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
