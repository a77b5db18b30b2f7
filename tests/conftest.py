"""Fixtures shared by the whole test suite."""

# Database fixtures: backend, db, empty_database, migrated_database (see
# tests/fixtures/database.py).
from tests.fixtures import allocation_audit
from tests.fixtures.database import backend  # noqa: F401
from tests.fixtures.database import db  # noqa: F401
from tests.fixtures.database import empty_database  # noqa: F401
from tests.fixtures.database import migrated_database  # noqa: F401


def pytest_make_parametrize_id(config, val, argname):
    """No ':' in generated test ids: gabbi's pytest plugin takes every
    test whose id has one for a gabbi test (and fails the collection of
    the whole suite on e.g. ``test_x[sort=name:up]``)."""
    if isinstance(val, str) and ':' in val:
        return val.replace(':', '-')
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    text = allocation_audit.summary()
    if text:
        terminalreporter.write_line(text)
