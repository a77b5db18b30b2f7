"""A deployment of real daemons against RabbitMQ and MariaDB.

``deployment`` provisions a private RabbitMQ vhost and a fresh MariaDB
database, writes a nova.conf for them, and starts daemons on demand; all
of it is torn down after the test.
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures import allocation_audit
from tests.fixtures import database
from tests.fixtures import rabbit
from tests.multiprocess import daemons

REPORT_INTERVAL = 1
SERVICE_DOWN_TIME = 6


class Deployment:
    def __init__(self, workdir: pathlib.Path, transport_url: str,
                 db_url: str) -> None:
        self.workdir = workdir
        self.transport_url = transport_url
        self.db_url = db_url
        self.api_port = daemons.free_port()
        self.sections: dict[str, dict[str, Any]] = {
            'DEFAULT': {
                'transport_url': transport_url,
                'state_path': str(workdir / 'state'),
                'report_interval': REPORT_INTERVAL,
                'service_down_time': SERVICE_DOWN_TIME,
                'periodic_fuzzy_delay': 0,
                'osapi_compute_listen': '127.0.0.1',
                'osapi_compute_listen_port': self.api_port,
                'compute_driver': 'fake',
                'graceful_shutdown_timeout': 30,
                'rpc_response_timeout': 60,
            },
            'database': {'connection': db_url},
            'api': {'auth_strategy': 'noauth2'},
            'oslo_messaging_rabbit': {
                'heartbeat_timeout_threshold': 10,
                'kombu_reconnect_delay': 0.5,
                'rabbit_retry_interval': 1,
                'rabbit_retry_backoff': 1,
                'rabbit_interval_max': 2,
            },
            'fake_driver': {'nodes': 1},
        }
        self.base_conf = str(workdir / 'nova.conf')
        self._write()
        self.daemons: list[daemons.Daemon] = []

    def set(self, section: str, **values: Any) -> None:
        """Change options for daemons started from now on."""
        self.sections.setdefault(section, {}).update(values)
        self._write()

    def _write(self) -> None:
        daemons.write_config(self.base_conf, self.sections)

    def seed_catalog(self) -> dict[str, str]:
        """Flavors, network and image of the embedded catalogue."""
        from nova import bootstrap
        from nova import context as nova_context
        from nova.db.api import images as images_db
        with database.in_use(self.db_url):
            ctx = nova_context.get_admin_context()
            bootstrap.seed(ctx, str(self.workdir))
            image = images_db.image_get_all(ctx)[0]
        return {'image_id': image['id'], 'image_name': image['name']}

    def boot(self, name: str, image_id: str, flavor: str = '1',
             token: str = 'alice:project-a', **extra: Any
             ) -> tuple[int, Any]:
        server = {'name': name, 'imageRef': image_id, 'flavorRef': flavor}
        server.update(extra)
        return self.api('POST', '/servers', {'server': server}, token=token)

    def server(self, server_id: str,
               token: str = 'admin:admin') -> dict[str, Any]:
        status, body = self.api('GET', f'/servers/{server_id}', token=token)
        assert status == 200, body
        return body['server']

    def wait_status(self, server_id: str, statuses: set[str],
                    timeout: float = 90) -> dict[str, Any]:
        def settled():
            server = self.server(server_id)
            return server if server['status'] in statuses else None
        return daemons.wait_for(settled, timeout,
                                f'server {server_id} in {statuses}')

    def start(self, binary: str, host: str | None = None,
              env: dict[str, str] | None = None, wait: bool = True,
              extra: dict[str, dict[str, Any]] | None = None
              ) -> daemons.Daemon:
        """Start ``binary`` (as ``host``); ``extra``: options of this
        daemon only, over the deployment's."""
        files = [self.base_conf]
        name = binary
        if host:
            name = f'{binary}-{host}'
        if host or extra:
            own = {**(extra or {})}
            if host:
                own['DEFAULT'] = {**own.get('DEFAULT', {}), 'host': host}
            files.append(daemons.write_config(
                str(self.workdir / f'{name}.conf'), own))
        daemon = daemons.Daemon(binary, files, str(self.workdir), name=name,
                                env=env)
        self.daemons.append(daemon)
        daemon.start()
        if wait:
            daemon.wait_ready()
        return daemon

    def start_control_plane(self, computes: tuple[str, ...] = (
            'compute1', 'compute2'), env: dict[str, str] | None = None
            ) -> dict[str, daemons.Daemon]:
        started = {
            'conductor': self.start('nova-conductor', env=env),
            'scheduler': self.start('nova-scheduler', env=env),
            'api': self.start('nova-api', env=env),
        }
        for host in computes:
            started[host] = self.start('nova-compute', host=host, env=env)
        return started

    def api(self, method: str, path: str, body: Any = None,
            token: str = 'admin:admin', version: str | None = None,
            timeout: float = 30) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {'X-Auth-Token': token,
                   'Content-Type': 'application/json'}
        if version:
            headers['OpenStack-API-Version'] = f'compute {version}'
        request = urllib.request.Request(
            f'http://127.0.0.1:{self.api_port}/v2.1{path}', data=data,
            method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            return err.code, json.loads(raw) if raw else None

    def close(self) -> None:
        for daemon in self.daemons:
            daemon.close()


@pytest.fixture
def deployment(request: pytest.FixtureRequest,
               tmp_path: pathlib.Path) -> Iterator[Deployment]:
    with contextlib.ExitStack() as stack:
        transport_url = stack.enter_context(rabbit.rabbit_vhost())
        db_url = stack.enter_context(
            database.provisioned(database.MYSQL, tmp_path))
        database.migrate(db_url)
        deploy = Deployment(tmp_path, transport_url, db_url)
        stack.callback(deploy.close)
        yield deploy
        deploy.close()
        allocation_audit.check_database(db_url, request.node.nodeid)
