"""Fixtures of the data-access tests.

Every test here runs on SQLite, MariaDB/MySQL and PostgreSQL: the
``backend`` fixture is parametrised over all three (a test's own
``backend`` parametrisation takes precedence).
"""

import pytest

from tests.fixtures import database
from tests.fixtures import factories


@pytest.fixture(params=database.backend_params(*database.BACKENDS))
def backend(request):
    return request.param


@pytest.fixture
def ctxt():
    """An admin request context."""
    return factories.admin_context()
