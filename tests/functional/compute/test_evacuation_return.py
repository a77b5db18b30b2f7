"""A compute that comes back after its servers were evacuated removes its
copies of their guests, through the real in-process services (fake://
RPC, SQLite, fake driver). The fake hypervisor outlives its nova-compute
in one process, as QEMU outlives a crashed one, so the old guest is
really there when the compute starts again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from nova import context as nova_context
from nova.compute import manager as compute_manager
from nova.conductor.tasks import evacuate
from nova.db.api import instances as instances_db
from nova.virt.fake import hypervisor
from tests.api import fixtures
from tests.api.fixture_servers import ServersAPIFixture
from tests.fixtures import factories
from tests.functional.compute.in_process import Call
from tests.functional.compute.in_process import api_caller
from tests.functional.compute.in_process import wait_for

ADMIN = 'admin:admin'
@pytest.fixture
def cloud() -> Iterator[Call]:
    # The hypervisors are per process: no guest of an earlier test here.
    hypervisor.reset()
    fixture = ServersAPIFixture()
    fixture.start_fixture()
    app = fixtures.setup_app()

    call = api_caller(app, ADMIN)

    try:
        yield call
    finally:
        # Stops the services, then audits every allocation.
        fixture.stop_fixture()
        hypervisor.reset()


def _server(call: Call, server_id: str) -> dict[str, Any]:
    return call('GET', f'/servers/{server_id}')[1]['server']


def _evacuation(call: Call, server_id: str) -> dict[str, Any]:
    status, body = call('GET', f'/os-migrations?instance_uuid={server_id}',
                        version='2.23')
    assert status == 200, body
    [migration] = body['migrations']
    return migration


def _evacuated(call: Call) -> tuple[str, str, str]:
    """A server evacuated from its (forced down) host: id, source, dest."""
    status, body = call('POST', '/servers', {'server': {
        'name': 'refugee', 'flavorRef': '1',
        'imageRef': os.environ['IMAGE_ID']}}, token='alice:project-a')
    assert status == 202, body
    server_id = body['server']['id']
    server = wait_for(lambda: (lambda s: s if s['status'] == 'ACTIVE'
                               else None)(_server(call, server_id)),
                      'the server to boot')
    source = server['OS-EXT-SRV-ATTR:host']
    status, body = call('PUT', '/os-services/force-down', {
        'host': source, 'binary': 'nova-compute', 'forced_down': True},
        version='2.11')
    assert status == 200, body
    status, body = call('POST', f'/servers/{server_id}/action',
                        {'evacuate': {}}, version='2.68')
    assert status == 202, body
    wait_for(lambda: _evacuation(call, server_id)['status'] == 'done',
             'the evacuation to be done')
    server = _server(call, server_id)
    assert server['status'] == 'ACTIVE', server
    return server_id, source, server['OS-EXT-SRV-ATTR:host']


def _compute_starts(host: str) -> None:
    """What nova-compute on ``host`` does before it serves."""
    manager = compute_manager.ComputeManager(host=host)
    manager.init_host()
    try:
        manager.pre_start_hook()
    finally:
        manager.cleanup_host()


def test_the_source_destroys_its_copy_and_completes_the_evacuation(cloud):
    server_id, source, dest = _evacuated(cloud)
    # Two copies of one server now run: the point of the clean-up.
    assert server_id in hypervisor.get_hypervisor(source).uuids()
    assert server_id in hypervisor.get_hypervisor(dest).uuids()
    _compute_starts(source)
    assert server_id not in hypervisor.get_hypervisor(source).uuids()
    assert _evacuation(cloud, server_id)['status'] == 'completed'
    # The server on its new host runs on, untouched.
    assert hypervisor.get_hypervisor(dest).get(server_id).state == 1
    server = _server(cloud, server_id)
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == (
        'ACTIVE', dest)


def test_a_server_deleted_after_its_evacuation_loses_its_old_guest(cloud):
    server_id, source, dest = _evacuated(cloud)
    status, _ = cloud('DELETE', f'/servers/{server_id}')
    assert status == 204
    wait_for(lambda: cloud('GET', f'/servers/{server_id}')[0] == 404,
             'the server to be deleted')
    assert server_id not in hypervisor.get_hypervisor(dest).uuids()
    _compute_starts(source)
    assert server_id not in hypervisor.get_hypervisor(source).uuids()
    assert _evacuation(cloud, server_id)['status'] == 'completed'


def test_conductor_lists_what_a_source_has_to_clean_up(db):
    ctx = nova_context.get_admin_context()
    here = [factories.make_instance(ctx, host='other') for _ in range(4)]
    wanted = [factories.make_migration(
        ctx, instance_uuid=instance['uuid'], source_compute='back',
        migration_type='evacuation', status=status)
        for instance, status in zip(here[:3], evacuate.SOURCE_NOT_CLEANED,
                                    strict=True)]
    for status in ('error', 'completed'):
        factories.make_migration(ctx, instance_uuid=here[3]['uuid'],
                                 source_compute='back',
                                 migration_type='evacuation', status=status)
    factories.make_migration(ctx, instance_uuid=here[3]['uuid'],
                             source_compute='back', status='done',
                             migration_type='live-migration')
    factories.make_migration(ctx, instance_uuid=here[3]['uuid'],
                             source_compute='elsewhere', status='done',
                             migration_type='evacuation')
    instances_db.instance_destroy(ctx, here[2]['uuid'])

    listed = evacuate.left_on(ctx, 'back')
    assert [m['id'] for m in listed] == [m['id'] for m in wanted]
    assert [m['instance']['uuid'] for m in listed] == [
        i['uuid'] for i in here[:3]]
    # A deleted instance still names its guest.
    assert listed[2]['instance']['deleted']
