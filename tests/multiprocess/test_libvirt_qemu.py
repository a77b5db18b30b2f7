"""A real QEMU guest through the whole control plane.

nova-api, nova-conductor, nova-scheduler, nova-image-api and one
nova-compute with ``compute_driver = libvirt`` (TCG) run as daemons over
RabbitMQ and MariaDB. The guest image (tests/fixtures/guest_image.py) is
uploaded to the image endpoint over HTTP, the compute downloads it from
there, and the guest's serial console is read back through the Compute
API: each boot prints ``NOVA-GUEST-MARKER <server id>``, so the number of
marker lines tells how many times the guest booted.
"""

from __future__ import annotations

import json
import os
import urllib.request

import libvirt
import pytest

from tests.fixtures import guest_image
from tests.fixtures import libvirtd as libvirtd_fixture
from tests.multiprocess import daemons

BOOT_TIMEOUT = 180  # seconds; TCG on a busy 2-core machine is slow


@pytest.fixture(scope='module')
def libvirt_daemon():
    with libvirtd_fixture.libvirtd() as d:
        yield d


def _upload_image(port: int, path: str) -> str:
    """POST the image record, then PUT its data (Glance v2 style)."""
    base = f'http://127.0.0.1:{port}/v2/images'
    headers = {'X-Auth-Token': 'admin:admin',
               'Content-Type': 'application/json'}
    body = json.dumps({'name': 'nova-test-guest', 'disk_format': 'qcow2',
                       'container_format': 'bare',
                       'visibility': 'public'}).encode()
    request = urllib.request.Request(base, data=body, headers=headers,
                                     method='POST')
    with urllib.request.urlopen(request, timeout=30) as resp:
        image_id = json.loads(resp.read())['id']
    with open(path, 'rb') as f:
        data = f.read()
    request = urllib.request.Request(
        f'{base}/{image_id}/file', data=data, method='PUT',
        headers={'X-Auth-Token': 'admin:admin',
                 'Content-Type': 'application/octet-stream'})
    with urllib.request.urlopen(request, timeout=60) as resp:
        assert resp.status == 204, resp.status
    return image_id


def _console(deployment, server_id: str) -> str:
    status, body = deployment.api(
        'POST', f'/servers/{server_id}/action',
        {'os-getConsoleOutput': {'length': -1}}, token='alice:project-a')
    assert status == 200, body
    return body['output']


def _wait_for_boots(deployment, server_id: str, count: int) -> str:
    def booted():
        output = _console(deployment, server_id)
        markers = [line for line in output.splitlines()
                   if line.startswith(guest_image.MARKER)]
        return output if len(markers) >= count else None
    return daemons.wait_for(booted, BOOT_TIMEOUT,
                            f'boot {count} of {server_id} in its console')


def _action(deployment, server_id: str, action: dict) -> None:
    status, body = deployment.api('POST', f'/servers/{server_id}/action',
                                  action, token='alice:project-a')
    assert status == 202, body


def test_boot_reboot_stop_start_console_and_delete_a_qemu_guest(
        deployment, libvirt_daemon, tmp_path):
    images = guest_image.guest_images()
    image_port = daemons.free_port()
    instances_path = tmp_path / 'instances'
    deployment.set('DEFAULT', compute_driver='libvirt')
    deployment.set('libvirt', connection_uri=libvirt_daemon.uri,
                   virt_type='qemu', instances_path=str(instances_path),
                   shutdown_timeout=5)
    deployment.set('image', image_api_listen='127.0.0.1',
                   image_api_listen_port=image_port)
    deployment.set('glance', api_servers=f'http://127.0.0.1:{image_port}')
    deployment.set('compute', shutdown_timeout=30,
                   shutdown_retry_interval=5)
    deployment.seed_catalog()
    deployment.start('nova-image-api')
    image_id = _upload_image(image_port, images.acpi)
    deployment.start_control_plane(computes=('compute1',))

    status, body = deployment.boot('qemu-1', image_id)
    assert status == 202, body
    server_id = body['server']['id']
    server = deployment.wait_status(server_id, {'ACTIVE', 'ERROR'},
                                    timeout=BOOT_TIMEOUT)
    assert server['status'] == 'ACTIVE', server.get('fault')
    assert server['OS-EXT-STS:power_state'] == 1
    output = _wait_for_boots(deployment, server_id, 1)
    assert f'{guest_image.MARKER} {server_id} acpi=on' in output
    conn = libvirt.open(libvirt_daemon.uri)
    try:
        assert conn.lookupByUUIDString(server_id).isActive()

        _action(deployment, server_id, {'reboot': {'type': 'SOFT'}})
        # The API refuses console output while the reboot runs (409).
        daemons.wait_for(
            lambda: deployment.server(server_id)['status'] == 'ACTIVE',
            BOOT_TIMEOUT, 'the reboot to finish')
        _wait_for_boots(deployment, server_id, 2)
        assert 'NOVA-GUEST-POWER-BUTTON' in _console(deployment, server_id)

        _action(deployment, server_id, {'os-stop': None})
        server = deployment.wait_status(server_id, {'SHUTOFF'},
                                        timeout=BOOT_TIMEOUT)
        assert server['OS-EXT-STS:power_state'] == 4
        assert not conn.lookupByUUIDString(server_id).isActive()
        # A clean stop: the guest saw the power button (again).
        assert _console(deployment, server_id).count(
            'NOVA-GUEST-POWER-BUTTON') == 2

        _action(deployment, server_id, {'os-start': None})
        deployment.wait_status(server_id, {'ACTIVE'}, timeout=BOOT_TIMEOUT)
        _wait_for_boots(deployment, server_id, 3)

        # An operator pulls the plug behind nova's back: the driver's
        # lifecycle event makes the API show SHUTOFF.
        conn.lookupByUUIDString(server_id).destroy()
        server = deployment.wait_status(server_id, {'SHUTOFF'}, timeout=60)
        assert server['OS-EXT-STS:power_state'] == 4

        status, _ = deployment.api('DELETE', f'/servers/{server_id}',
                                   token='alice:project-a')
        assert status == 204
        daemons.wait_for(
            lambda: deployment.api('GET', f'/servers/{server_id}')[0] == 404,
            BOOT_TIMEOUT, f'server {server_id} to be deleted')
        assert server_id not in [d.UUIDString()
                                 for d in conn.listAllDomains(0)]
        assert not os.path.exists(instances_path / server_id)
    finally:
        # Whatever failed above, leave no guest running.
        for domain in conn.listAllDomains(0):
            if domain.UUIDString() == server_id:
                if domain.isActive():
                    domain.destroy()
                domain.undefineFlags(
                    libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
        conn.close()
