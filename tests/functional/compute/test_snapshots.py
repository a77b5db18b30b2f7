"""createImage and createBackup on the embedded default (nova-all): the
fake driver's disk is uploaded over HTTP to the image endpoint that
nova-all serves, as a compute in a real deployment would do."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.multiprocess import daemons

TOKEN = 'admin:admin'


class Cloud:
    def __init__(self, port: int) -> None:
        self.base = f'http://127.0.0.1:{port}'

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


@pytest.fixture(scope='module')
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    workdir: pathlib.Path = tmp_path_factory.mktemp('snapshots')
    port = daemons.free_port()
    config = daemons.write_config(str(workdir / 'nova.conf'), {
        'DEFAULT': {'state_path': str(workdir / 'state'),
                    'osapi_compute_listen_port': port},
    })
    with daemons.daemons() as started:
        daemon = daemons.Daemon('nova-all', [config], str(workdir))
        started.append(daemon)
        daemon.start()
        daemon.wait_ready(timeout=120)
        try:
            yield Cloud(port)
        finally:
            daemon.stop()


@pytest.fixture(scope='module')
def server(cloud: Cloud) -> str:
    images = cloud.request('GET', '/v2.1/images').json()['images']
    image_id = next(i['id'] for i in images if i['name'] == 'default')
    resp = cloud.request('POST', '/v2.1/servers', version='2.37', json={
        'server': {'name': 'snap', 'imageRef': image_id, 'flavorRef': '1',
                   'networks': 'none'}})
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    assert cloud.settled(uuid)['status'] == 'ACTIVE'
    return uuid


def _active_image(cloud: Cloud, image_id: str) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def active() -> bool:
        resp = cloud.image(image_id)
        found.update(resp.json() if resp.ok else {})
        return found.get('status') == 'active'
    daemons.wait_for(active, 60, f'image {image_id} to become active')
    return found


def test_create_image_uploads_the_disk(cloud: Cloud, server: str) -> None:
    resp = cloud.action(server, {'createImage': {
        'name': 'snap-1', 'metadata': {'purpose': 'test'}}}, version='2.45')
    assert resp.status_code == 202, resp.text
    image_id = resp.json()['image_id']
    image = _active_image(cloud, image_id)
    assert image['name'] == 'snap-1'
    assert image['instance_uuid'] == server
    assert image['image_type'] == 'snapshot'
    assert image['purpose'] == 'test'
    data = cloud.request('GET', f'/image/v2/images/{image_id}/file')
    assert server in data.text  # the fake driver's disk names its guest
    assert cloud.settled(server)['status'] == 'ACTIVE'
    events = cloud.request(
        'GET', f'/v2.1/servers/{server}/os-instance-actions').json()
    assert 'createImage' in [a['action'] for a in events['instanceActions']]


def test_create_image_before_2_45_answers_with_a_location(
        cloud: Cloud, server: str) -> None:
    resp = cloud.action(server, {'createImage': {'name': 'snap-2'}})
    assert resp.status_code == 202, resp.text
    assert resp.content == b''
    image_id = resp.headers['Location'].rsplit('/', 1)[-1]
    _active_image(cloud, image_id)
    cloud.settled(server)


def test_backups_rotate(cloud: Cloud, server: str) -> None:
    made = []
    for n in range(3):
        resp = cloud.action(server, {'createBackup': {
            'name': f'nightly-{n}', 'backup_type': 'daily',
            'rotation': 2}}, version='2.45')
        assert resp.status_code == 202, resp.text
        made.append(resp.json()['image_id'])
        _active_image(cloud, made[-1])
        cloud.settled(server)
    # The oldest went when the third was made.
    daemons.wait_for(lambda: cloud.image(made[0]).status_code == 404, 30,
                     'the oldest backup to be rotated out')
    assert all(cloud.image(i).json()['status'] == 'active'
               for i in made[1:])


def test_snapshot_of_a_server_in_error_is_a_conflict(cloud: Cloud,
                                                     server: str) -> None:
    assert cloud.action(server, {'os-resetState': {'state': 'error'}}
                        ).status_code == 202
    resp = cloud.action(server, {'createImage': {'name': 'broken'}})
    assert resp.status_code == 409, resp.text
    assert 'vm_state error' in resp.json()['conflictingRequest']['message']
    resp = cloud.action(server, {'createBackup': {
        'name': 'x', 'backup_type': 'daily', 'rotation': 0}})
    assert resp.status_code == 400
    assert 'rotation' in resp.json()['badRequest']['message']
