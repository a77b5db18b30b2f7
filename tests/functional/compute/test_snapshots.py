"""createImage and createBackup on the embedded default (nova-all): the
fake driver's disk is uploaded over HTTP to the image endpoint that
nova-all serves, as a compute in a real deployment would do."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.functional.compute.embedded import Cloud
from tests.functional.compute.embedded import boot
from tests.functional.compute.embedded import running
from tests.multiprocess import daemons


@pytest.fixture(scope='module')
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    with running(tmp_path_factory.mktemp('snapshots')) as started:
        yield started


@pytest.fixture(scope='module')
def server(cloud: Cloud) -> str:
    return boot(cloud, 'snap')


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
