"""The embedded default (nova-all) as a test cloud, driven over HTTP."""

from __future__ import annotations

import contextlib
import os
import pathlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import requests

from tests.multiprocess import daemons

TOKEN = 'admin:admin'


class Cloud:
    def __init__(self, port: int, config: str = '') -> None:
        self.base = f'http://127.0.0.1:{port}'
        self.config = config

    def audit(self) -> str:
        """``nova-manage placement audit --verify`` on this cloud's
        database; fails the test when any allocation is off."""
        result = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), 'nova-manage'),
             '--config-file', self.config, 'placement', 'audit',
             '--verify'], capture_output=True, text=True, timeout=120,
            check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def request(self, method: str, path: str, version: str = '2.1',
                **kwargs: Any) -> requests.Response:
        headers = {'X-Auth-Token': TOKEN,
                   'OpenStack-API-Version': f'compute {version}'}
        return requests.request(method, self.base + path, headers=headers,
                                timeout=30, **kwargs)

    def server(self, uuid: str) -> dict[str, Any]:
        return self.request('GET', f'/v2.1/servers/{uuid}').json()['server']

    def image(self, image_id: str) -> requests.Response:
        return self.request('GET', f'/image/v2/images/{image_id}')

    def action(self, uuid: str, body: dict[str, Any],
               version: str = '2.1') -> requests.Response:
        return self.request('POST', f'/v2.1/servers/{uuid}/action',
                            version=version, json=body)

    def settled(self, uuid: str) -> dict[str, Any]:
        server: dict[str, Any] = {}

        def idle() -> bool:
            server.update(self.server(uuid))
            return server['OS-EXT-STS:task_state'] is None and \
                server['status'] != 'BUILD'
        daemons.wait_for(idle, 60, f'server {uuid} to settle')
        return server


@contextlib.contextmanager
def running(workdir: pathlib.Path,
            extra: dict[str, dict[str, Any]] | None = None) -> Iterator[Cloud]:
    """nova-all in ``workdir`` with its own port and state."""
    with daemons.nova_all(workdir, extra) as (port, config):
        yield Cloud(port, config)


def boot(cloud: Cloud, name: str) -> str:
    """An ACTIVE server from the default image; its id."""
    images = cloud.request('GET', '/v2.1/images').json()['images']
    image_id = next(i['id'] for i in images if i['name'] == 'default')
    resp = cloud.request('POST', '/v2.1/servers', version='2.37', json={
        'server': {'name': name, 'imageRef': image_id, 'flavorRef': '1',
                   'networks': 'none'}})
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    assert cloud.settled(uuid)['status'] == 'ACTIVE'
    return uuid
