"""Fixtures of the API tests against real services."""

from tests.fixtures.keystone import keystone  # noqa: F401
