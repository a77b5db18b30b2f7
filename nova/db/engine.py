"""The oslo.db enginefacade shared by every data-access module.

Data-access functions take a ``RequestContext`` first and are decorated
with ``reader``/``writer``; nested calls join the outer transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from oslo_config import cfg
from oslo_db.sqlalchemy import enginefacade

from nova import exception

_LOCK = threading.Lock()
_context_manager = enginefacade.transaction_context()
# Foreign keys are part of the schema's contract on every backend; SQLite
# only enforces them when asked, per connection.


def _tune_sqlite(engine: Any) -> None:
    """Make SQLite behave under concurrent writers (embedded mode).

    pysqlite starts transactions lazily and upgrades read locks to write
    locks mid-transaction, which fails at once with "database is locked"
    when another thread writes. Taking the write lock up front (BEGIN
    IMMEDIATE) makes a second writer wait (busy_timeout) instead; WAL
    lets readers in other processes (nova-manage) work meanwhile.
    """
    if engine.dialect.name != 'sqlite' or \
            engine.url.database in (None, '', ':memory:'):
        return
    import sqlalchemy as sa

    @sa.event.listens_for(engine, 'connect')
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA busy_timeout = 60000')
        cursor.close()

    # oslo.db already turned pysqlite's implicit BEGIN off and emits a
    # plain BEGIN of its own; replace that listener with ours.
    for listener in list(engine.dispatch.begin):
        if getattr(listener, '__module__', '').startswith('oslo_db'):
            sa.event.remove(engine, 'begin', listener)

    @sa.event.listens_for(engine, 'begin')
    def _on_begin(connection: Any) -> None:
        if 'in_transaction' not in connection.info:
            connection.exec_driver_sql('BEGIN IMMEDIATE')
            connection.info['in_transaction'] = True

    # oslo.db opened a test connection before this hook ran; it lacks
    # the settings above.
    engine.dispose()
    # WAL is a property of the file: set it once, not per connection
    # (switching needs a lock other connections may hold).
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql('PRAGMA journal_mode = WAL')
    except sa.exc.OperationalError:
        pass


_context_manager.configure(sqlite_fk=True, on_engine_create=[_tune_sqlite])
_forbidden_binary: str | None = None
_configured = False

# Decorators for data-access functions.
reader = _context_manager.reader
writer = _context_manager.writer


def configure(conf: cfg.ConfigOpts) -> None:
    """Check ``[database]`` before first use; safe to call repeatedly.

    enginefacade reads the ``[database]`` group of the global CONF by
    itself when the first transaction starts; this only fails early, with
    a clear message, when nothing is configured.
    """
    global _configured
    with _LOCK:
        if _configured:
            return
        if _forbidden_binary:
            raise exception.DBNotAllowed(binary=_forbidden_binary)
        if not conf.database.connection:
            raise exception.Invalid(
                reason='[database] connection is not set')
        _configured = True


def get_engine() -> Any:
    """The writer engine, e.g. for migrations and tests."""
    if _forbidden_binary:
        raise exception.DBNotAllowed(binary=_forbidden_binary)
    return _context_manager.writer.get_engine()


def disallow(binary: str) -> None:
    """Make every later database access in this process fail loudly.

    nova-compute calls this at start-up: compute nodes may hold no
    database credentials and must go through nova-conductor.
    """
    global _forbidden_binary
    _forbidden_binary = binary

    def _refuse(*args: Any, **kwargs: Any) -> None:
        raise exception.DBNotAllowed(binary=binary)

    _context_manager.configure(on_engine_create=[_refuse])


def use_database(connection: str, **options: Any) -> Callable[[], None]:
    """Send every later transaction of this process to ``connection``.

    Returns a function that undoes the switch and closes the new engine.
    The switch happens at the root of the global transaction context, so
    functions already decorated with ``reader``/``writer`` follow it; this
    is how tests and tools work on a database other than
    ``[database] connection``. ``options`` are enginefacade settings
    (e.g. ``max_pool_size``).
    """
    if _forbidden_binary:
        raise exception.DBNotAllowed(binary=_forbidden_binary)
    manager = _context_manager.make_new_manager()
    options.setdefault('on_engine_create', [_tune_sqlite])
    manager.configure(connection=connection, sqlite_fk=True, **options)
    reset = _context_manager.patch_factory(manager)

    def _restore() -> None:
        reset()
        manager.dispose_pool()

    return _restore


def dispose() -> None:
    """Forget the engine, e.g. before forking workers or in tests."""
    global _configured
    with _LOCK:
        if _configured:
            _context_manager.writer.get_engine().dispose()
        _configured = False
