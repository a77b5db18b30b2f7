"""Gabbi fixtures: the API application over a real database and real
in-process services.

``APIFixture`` gives every YAML file a fresh, migrated SQLite database,
the in-process ``fake://`` transport and running conductor, scheduler and
compute services (two compute hosts), and exports tokens for the personas
through environment variables ($ENVIRON[...]).
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile
from typing import Any

from gabbi import fixture
from oslo_config import cfg

from nova import policy
from nova import rpc
from nova import service
from nova.api import app as api_app
from tests.fixtures import allocation_audit
from tests.fixtures import database
from tests.fixtures.conf import prepare_conf

CONF = cfg.CONF

PERSONAS = {
    'ADMIN_TOKEN': 'admin:admin-project',
    'MEMBER_TOKEN': 'alice:project-a:member,reader',
    'MANAGER_TOKEN': 'mary:project-a:manager,member,reader',
    'READER_TOKEN': 'rita:project-a:reader',
    'OTHER_TOKEN': 'bob:project-b:member,reader',
    'SERVICE_TOKEN': 'svc:service-project:service',
}
COMPUTE_HOSTS = ('compute1', 'compute2')


def setup_app() -> Any:
    # gabbi builds the application while collecting, before fixtures run.
    prepare_conf()
    CONF.set_override('auth_strategy', 'noauth2', group='api')
    try:
        return api_app.load_app()
    finally:
        # The pipeline is chosen at load time; do not leak the override.
        CONF.clear_override('auth_strategy', group='api')


class APIFixture(fixture.GabbiFixture):
    """A fresh cloud per YAML file."""

    def start_fixture(self) -> None:
        prepare_conf()
        self._stack = contextlib.ExitStack()
        tmp = pathlib.Path(tempfile.mkdtemp(prefix='nova-gabbi-'))
        self._stack.callback(_rmtree, tmp)
        url = self._stack.enter_context(
            database.provisioned(database.SQLITE, tmp))
        database.migrate(url)
        self._stack.enter_context(database.in_use(url))
        # Runs once everything registered below is undone (services
        # stopped), before the database goes.
        self._stack.callback(allocation_audit.check,
                             f'gabbi {type(self).__name__} in {tmp}')
        self._override('transport_url', 'fake:///')
        self._override('state_path', str(tmp))
        self._override('periodic_enable', False)
        self._override('compute_driver', 'fake')
        rpc.init(CONF)
        self._stack.callback(rpc.cleanup)
        policy.reset()
        self._stack.callback(policy.reset)
        self._start_services()
        for name, token in PERSONAS.items():
            os.environ[name] = token

    def _override(self, name: str, value: Any,
                  group: str | None = None) -> None:
        CONF.set_override(name, value, group=group)
        self._stack.callback(CONF.clear_override, name, group=group)

    def _start_services(self) -> None:
        started = [service.Service.create('nova-conductor', host='control'),
                   service.Service.create('nova-scheduler', host='control')]
        started += [service.Service.create('nova-compute', host=host)
                    for host in COMPUTE_HOSTS]
        for svc in started:
            svc.start()
            self._stack.callback(_stop, svc)

    def stop_fixture(self) -> None:
        self._stack.close()


def _stop(svc: service.Service) -> None:
    svc.stop()
    svc.wait()


def _rmtree(path: pathlib.Path) -> None:
    import shutil
    shutil.rmtree(path, ignore_errors=True)


# gabbi finds fixtures by name in this module; the seeded one lives in its
# own module (it subclasses APIFixture, hence the import at the end).
from tests.api.fixture_actions import DeferredDeleteAPIFixture  # noqa: E402,F401
from tests.api.fixture_seed import SeededAPIFixture  # noqa: E402,F401
from tests.api.fixture_servers import ImagePropsAPIFixture  # noqa: E402,F401
from tests.api.fixture_servers import ServersAPIFixture  # noqa: E402,F401
from tests.api.fixture_servers import SlowLiveMigrationAPIFixture  # noqa: E402,F401,E501
