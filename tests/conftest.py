"""Fixtures shared by the whole test suite."""

# Database fixtures: backend, db, empty_database, migrated_database (see
# tests/fixtures/database.py).
from tests.fixtures.database import backend  # noqa: F401
from tests.fixtures.database import db  # noqa: F401
from tests.fixtures.database import empty_database  # noqa: F401
from tests.fixtures.database import migrated_database  # noqa: F401
