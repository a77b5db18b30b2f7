"""Fixtures of the server-action scenarios that need other settings."""

from __future__ import annotations

from tests.api import fixture_servers


class DeferredDeleteAPIFixture(fixture_servers.ServersAPIFixture):
    """Servers with deferred delete on: a delete leaves SOFT_DELETED."""

    def start_fixture(self) -> None:
        super().start_fixture()
        self._override('reclaim_instance_interval', 3600, group='compute')
