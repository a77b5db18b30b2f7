"""Fixtures of the scheduler functional tests (real database)."""

import pytest
from oslo_config import cfg

from nova.scheduler import manager
from tests.fixtures import factories
from tests.fixtures.conf import prepare_conf

CONF = cfg.CONF


@pytest.fixture
def flags():
    prepare_conf()
    done = []

    def set_flags(group='filter_scheduler', **values):
        for name, value in values.items():
            CONF.set_override(name, value,
                              group=None if group == 'DEFAULT' else group)
            done.append((name, group))

    yield set_flags
    for name, group in done:
        CONF.clear_override(name,
                            group=None if group == 'DEFAULT' else group)


@pytest.fixture
def ctxt():
    return factories.admin_context()


@pytest.fixture
def scheduler(db, flags):
    """A SchedulerManager on the test database; host_subset_size 1 so
    the choice is deterministic."""
    flags(host_subset_size=1)
    return manager.SchedulerManager(host='scheduler-1')

