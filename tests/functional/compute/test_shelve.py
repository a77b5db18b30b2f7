"""Shelve, offload and unshelve on the embedded default: the disk is
saved as an image over HTTP, the host's resources are given back while
offloaded, and an unshelve schedules the server again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.functional.compute.embedded import Cloud
from tests.functional.compute.embedded import boot
from tests.functional.compute.embedded import running
from tests.multiprocess import daemons


@pytest.fixture(scope='module')
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    with running(tmp_path_factory.mktemp('shelve')) as started:
        yield started


def test_shelve_offloads_and_unshelve_comes_back(cloud: Cloud) -> None:
    uuid = boot(cloud, 'shelf')
    before = cloud.server(uuid)
    resp = cloud.action(uuid, {'shelve': None})
    assert resp.status_code == 202, resp.text
    server = cloud.settled(uuid)
    # [compute] shelved_offload_time defaults to 0: offloaded at once.
    assert server['status'] == 'SHELVED_OFFLOADED'
    assert server['OS-EXT-SRV-ATTR:host'] is None
    image_id = next(
        i['id'] for i in cloud.request('GET', '/image/v2/images').json()[
            'images'] if i['name'] == 'shelf-shelved')
    assert cloud.image(image_id).json()['status'] == 'active'

    assert cloud.action(uuid, {'shelve': None}).status_code == 409
    resp = cloud.action(uuid, {'unshelve': {'availability_zone': 'nowhere'}},
                        version='2.77')
    assert resp.status_code == 400, resp.text
    assert 'nowhere' in resp.json()['badRequest']['message']

    resp = cloud.action(uuid, {'unshelve': None})
    assert resp.status_code == 202, resp.text
    server = cloud.settled(uuid)
    assert server['status'] == 'ACTIVE'
    assert server['OS-EXT-SRV-ATTR:host'] == before['OS-EXT-SRV-ATTR:host']
    # The shelved image is deleted once the server runs again.
    daemons.wait_for(lambda: cloud.image(image_id).status_code == 404, 30,
                     'the shelved image to be deleted')
    actions = [a['action'] for a in cloud.request(
        'GET', f'/v2.1/servers/{uuid}/os-instance-actions').json()[
            'instanceActions']]
    assert actions[:2] == ['unshelve', 'shelve']


def test_offloaded_server_holds_no_allocation(cloud: Cloud) -> None:
    uuid = boot(cloud, 'frees')
    assert cloud.action(uuid, {'shelve': None}).status_code == 202
    assert cloud.settled(uuid)['status'] == 'SHELVED_OFFLOADED'
    # Quota stays held: the server still exists.
    limits = cloud.request('GET', '/v2.1/limits').json()['limits']
    assert limits['absolute']['totalInstancesUsed'] >= 1
    # Every live server holds exactly its flavor on its node; the
    # offloaded one holds nothing.
    cloud.audit()
    assert cloud.action(uuid, {'unshelve': None}).status_code == 202
    assert cloud.settled(uuid)['status'] == 'ACTIVE'
    cloud.audit()


def test_unshelve_of_a_running_server_is_a_conflict(cloud: Cloud) -> None:
    uuid = boot(cloud, 'running')
    resp = cloud.action(uuid, {'unshelve': None})
    assert resp.status_code == 409
    assert 'vm_state active' in resp.json()['conflictingRequest']['message']
