"""Declarative HTTP tests (gabbi) of the Compute API.

Each YAML file in gabbits/ is one scenario run in order against the real
Paste application, with a real database and real in-process services
(see fixtures.py).
"""

import os

from gabbi import driver
from gabbi.driver import test_pytest  # noqa: F401 - collected by pytest

from tests.api import fixtures

TESTS_DIR = os.path.join(os.path.dirname(__file__), 'gabbits')


def pytest_generate_tests(metafunc):
    driver.py_test_generator(
        TESTS_DIR, intercept=fixtures.setup_app, fixture_module=fixtures,
        metafunc=metafunc, test_loader_name=__name__, prefix='')
