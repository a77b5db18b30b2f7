"""Gabbi fixtures: the API application over a real database and real
in-process services.

``APIFixture`` gives every YAML file a fresh database and exports tokens
for the personas through environment variables ($ENVIRON[...]).
"""

from __future__ import annotations

import os
from typing import Any

from gabbi import fixture
from oslo_config import cfg

from nova import policy
from nova.api import app as api_app
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
    """noauth2 pipeline, fresh state per YAML file."""

    def start_fixture(self) -> None:
        prepare_conf()
        CONF.set_override('auth_strategy', 'noauth2', group='api')
        policy.reset()
        for name, token in PERSONAS.items():
            os.environ[name] = token

    def stop_fixture(self) -> None:
        CONF.clear_override('auth_strategy', group='api')
        policy.reset()
