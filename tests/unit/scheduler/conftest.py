"""Fixtures of the scheduler unit tests."""

import pytest
from oslo_config import cfg

from tests.fixtures.conf import prepare_conf

CONF = cfg.CONF


@pytest.fixture
def flags():
    """``flags(name=value, group='filter_scheduler')`` overrides options
    for one test."""
    prepare_conf()
    done = []

    def set_flags(group='filter_scheduler', **values):
        for name, value in values.items():
            CONF.set_override(name, value, group=group)
            done.append((name, group))

    yield set_flags
    for name, group in done:
        CONF.clear_override(name, group=group)


@pytest.fixture(autouse=True)
def _conf():
    prepare_conf()
