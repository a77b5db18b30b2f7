"""Builds that nobody finishes, and guests that stop behind our back,
through the real in-process services (fake:// RPC, SQLite, fake driver).
"""

from __future__ import annotations

import datetime

import pytest
from oslo_config import cfg
from oslo_utils import timeutils

from nova import context as nova_context
from nova.conductor.tasks import build
from nova.virt.fake import hypervisor
from tests.api import fixtures
from tests.api.fixture_servers import ServersAPIFixture
from tests.functional.compute.in_process import api_caller
from tests.functional.compute.in_process import wait_for

CONF = cfg.CONF


@pytest.fixture
def cloud():
    fixture = ServersAPIFixture()
    fixture.start_fixture()
    app = fixtures.setup_app()

    call = api_caller(app, 'alice:project-a')

    try:
        yield call
    finally:
        fixture.stop_fixture()
        CONF.clear_override('spawn_delay', group='fake_driver')
        CONF.clear_override('instance_build_timeout', group='compute')


def boot(call):
    import os
    status, body = call('POST', '/servers', {'server': {
        'name': 'vm', 'flavorRef': '1', 'imageRef': os.environ['IMAGE_ID']}})
    assert status == 202, body
    return body['server']['id']


def test_build_that_never_finishes_times_out_to_error(cloud):
    CONF.set_override('spawn_delay', 5, group='fake_driver')
    server_id = boot(cloud)
    wait_for(lambda: cloud('GET', f'/servers/{server_id}')[1]['server']
             ['OS-EXT-STS:task_state'] == 'spawning')
    CONF.set_override('instance_build_timeout', 60, group='compute')
    ctx = nova_context.get_admin_context()
    # Not yet stale: nothing happens.
    build.fail_stale_builds(ctx)
    assert cloud('GET', f'/servers/{server_id}')[1]['server'][
        'status'] == 'BUILD'
    # As seen two minutes later, the build is past its timeout.
    later = timeutils.utcnow() + datetime.timedelta(seconds=120)
    build.fail_stale_builds(ctx, now=later)
    server = cloud('GET', f'/servers/{server_id}')[1]['server']
    assert server['status'] == 'ERROR'
    assert 'instance_build_timeout' in server['fault']['message']


def test_guest_stopped_behind_our_back_shows_shutoff(cloud):
    server_id = boot(cloud)
    server = wait_for(lambda: (lambda s: s if s['status'] == 'ACTIVE'
                               else None)(
        cloud('GET', f'/servers/{server_id}',
              token='admin:admin')[1]['server']))
    host = server['OS-EXT-SRV-ATTR:host']
    hypervisor.get_hypervisor(host).simulate_guest_stop(server_id)
    server = wait_for(lambda: (lambda s: s if s['status'] == 'SHUTOFF'
                               else None)(
        cloud('GET', f'/servers/{server_id}')[1]['server']))
    assert server['OS-EXT-STS:power_state'] == 4


def test_resize_left_unconfirmed_is_confirmed_after_the_window(cloud):
    from nova.conductor.tasks import migrate
    server_id = boot(cloud)
    wait_for(lambda: cloud('GET', f'/servers/{server_id}')[1]['server']
             ['status'] == 'ACTIVE')
    status, _ = cloud('POST', f'/servers/{server_id}/action',
                      {'resize': {'flavorRef': '2'}})
    assert status == 202
    wait_for(lambda: cloud('GET', f'/servers/{server_id}')[1]['server']
             ['status'] == 'VERIFY_RESIZE')
    ctx = nova_context.get_admin_context()
    # Off by default: nothing is confirmed behind the user's back.
    later = timeutils.utcnow() + datetime.timedelta(hours=1)
    migrate.confirm_stale_resizes(ctx, now=later)
    assert cloud('GET', f'/servers/{server_id}')[1]['server'][
        'status'] == 'VERIFY_RESIZE'
    CONF.set_override('resize_confirm_window', 600, group='compute')
    try:
        migrate.confirm_stale_resizes(ctx)  # not yet 600 s
        assert cloud('GET', f'/servers/{server_id}')[1]['server'][
            'status'] == 'VERIFY_RESIZE'
        migrate.confirm_stale_resizes(ctx, now=later)
        server = wait_for(lambda: (lambda s: s if s['status'] == 'ACTIVE'
                                   else None)(
            cloud('GET', f'/servers/{server_id}')[1]['server']))
    finally:
        CONF.clear_override('resize_confirm_window', group='compute')
    assert server['flavor']['id'] == '2'
    status, body = cloud('GET', f'/servers/{server_id}/os-instance-actions')
    assert body['instanceActions'][0]['action'] == 'confirmResize'
