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
_context_manager.configure(sqlite_fk=True)
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
