"""A real QEMU guest through the whole control plane.

nova-api, nova-conductor, nova-scheduler, nova-image-api and one
nova-compute with ``compute_driver = libvirt`` (TCG) run as daemons over
RabbitMQ and MariaDB. The guest images (tests/fixtures/guest_image.py)
are uploaded to the image endpoint over HTTP, the compute downloads them
from there, and the guest's serial console is read back through the
Compute API: each boot prints the disks the guest sees with their labels
(NOVA-ACPI or NOVA-DEAF, after the image) and then ``NOVA-GUEST-MARKER
<server id>``, so the console tells how many times the guest booted and
from what.

One guest goes through every action the libvirt driver serves, so that
it boots once: TCG boots take seconds and CI time matters. Resize runs on
the one compute (``[compute] allow_resize_to_same_host``) and shelve
offloads at once (``[compute] shelved_offload_time = 0``).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from typing import Any

import libvirt
import pytest

from nova.virt.libvirt import config
from tests.fixtures import guest_image
from tests.fixtures import libvirtd as libvirtd_fixture
from tests.multiprocess import daemons

BOOT_TIMEOUT = 180  # seconds; TCG on a busy 2-core machine is slow
USER = 'alice:project-a'
RUNNING, PAUSED, SHUTDOWN, SUSPENDED = 1, 3, 4, 7  # power states
BIG_FLAVOR = 'qemu-big'


@pytest.fixture(scope='module')
def libvirt_daemon():
    with libvirtd_fixture.libvirtd() as d:
        yield d


class Guests:
    """The deployment, its image endpoint and libvirt, seen by a test."""

    def __init__(self, deployment: Any, image_port: int,
                 conn: libvirt.virConnect) -> None:
        self.deployment = deployment
        self.image_base = f'http://127.0.0.1:{image_port}/v2/images'
        self.conn = conn
        self.timings: dict[str, float] = {}

    # -- images ------------------------------------------------------------
    def upload_image(self, name: str, path: str, **properties: str) -> str:
        """POST the image record, then PUT its data (Glance v2 style)."""
        headers = {'X-Auth-Token': 'admin:admin',
                   'Content-Type': 'application/json'}
        body = json.dumps({'name': name, 'disk_format': 'qcow2',
                           'container_format': 'bare',
                           'visibility': 'public', **properties}).encode()
        request = urllib.request.Request(self.image_base, data=body,
                                         headers=headers, method='POST')
        with urllib.request.urlopen(request, timeout=30) as resp:
            image_id = json.loads(resp.read())['id']
        with open(path, 'rb') as f:
            data = f.read()
        request = urllib.request.Request(
            f'{self.image_base}/{image_id}/file', data=data, method='PUT',
            headers={'X-Auth-Token': 'admin:admin',
                     'Content-Type': 'application/octet-stream'})
        with urllib.request.urlopen(request, timeout=60) as resp:
            assert resp.status == 204, resp.status
        return image_id

    def image_status(self, image_id: str) -> str:
        request = urllib.request.Request(
            f'{self.image_base}/{image_id}',
            headers={'X-Auth-Token': 'admin:admin'})
        with urllib.request.urlopen(request, timeout=30) as resp:
            return json.loads(resp.read())['status']

    # -- servers -----------------------------------------------------------
    def act(self, server_id: str, body: dict[str, Any], expect: int = 202,
            version: str | None = None) -> Any:
        status, answer = self.deployment.api(
            'POST', f'/servers/{server_id}/action', body, token=USER,
            version=version)
        assert status == expect, (body, status, answer)
        return answer

    def settled(self, server_id: str, status: str,
                power_state: int | None = None) -> dict[str, Any]:
        """The server once its task is done; it must be in ``status``."""
        server = daemons.wait_for(
            lambda: (lambda s: s if s['OS-EXT-STS:task_state'] is None
                     else None)(self.deployment.server(server_id)),
            BOOT_TIMEOUT, f'server {server_id} to settle')
        assert server['status'] == status, (status, server.get('fault'))
        if power_state is not None:
            assert server['OS-EXT-STS:power_state'] == power_state, server
        return server

    def boot(self, name: str, image_id: str) -> str:
        status, body = self.deployment.boot(name, image_id, token=USER)
        assert status == 202, body
        server_id = body['server']['id']
        server = self.deployment.wait_status(
            server_id, {'ACTIVE', 'ERROR'}, timeout=BOOT_TIMEOUT)
        assert server['status'] == 'ACTIVE', server.get('fault')
        assert server['OS-EXT-STS:power_state'] == RUNNING
        return server_id

    def delete(self, server_id: str) -> None:
        status, _ = self.deployment.api('DELETE', f'/servers/{server_id}',
                                        token=USER)
        assert status == 204
        daemons.wait_for(
            lambda: self.deployment.api(
                'GET', f'/servers/{server_id}')[0] == 404,
            BOOT_TIMEOUT, f'server {server_id} to be deleted')

    # -- the guest ---------------------------------------------------------
    def console(self, server_id: str) -> str:
        return self.act(server_id, {'os-getConsoleOutput': {'length': -1}},
                        expect=200)['output']

    def wait_for_boot(self, server_id: str,
                      count: int) -> guest_image.Boot:
        """Boot number ``count`` (from 1) once the console shows it."""
        def booted():
            boots = guest_image.parse_boots(self.console(server_id))
            return boots if len(boots) >= count else None
        boots = daemons.wait_for(booted, BOOT_TIMEOUT,
                                 f'boot {count} of {server_id}')
        assert boots[count - 1].marker.startswith(
            f'{guest_image.MARKER} {server_id} ')
        return boots[count - 1]

    def boots(self, server_id: str) -> int:
        return len(guest_image.parse_boots(self.console(server_id)))

    def timed(self, name: str, started: float) -> None:
        self.timings[name] = time.monotonic() - started


def _power_actions(guests: Guests, sid: str) -> None:
    """Reboot, stop, start, pause, suspend and back: boots 2 and 3."""
    started = time.monotonic()
    guests.act(sid, {'reboot': {'type': 'SOFT'}})
    guests.settled(sid, 'ACTIVE', RUNNING)
    guests.wait_for_boot(sid, 2)
    guests.timed('soft reboot', started)
    assert 'NOVA-GUEST-POWER-BUTTON' in guests.console(sid)

    guests.act(sid, {'os-stop': None})
    guests.settled(sid, 'SHUTOFF', SHUTDOWN)
    assert not guests.conn.lookupByUUIDString(sid).isActive()
    # A clean stop: the guest saw the power button (again).
    assert guests.console(sid).count('NOVA-GUEST-POWER-BUTTON') == 2
    guests.act(sid, {'os-start': None})
    guests.settled(sid, 'ACTIVE', RUNNING)
    guests.wait_for_boot(sid, 3)

    guests.act(sid, {'pause': None})
    guests.settled(sid, 'PAUSED', PAUSED)
    guests.act(sid, {'unpause': None})
    guests.settled(sid, 'ACTIVE', RUNNING)

    started = time.monotonic()
    guests.act(sid, {'suspend': None})
    guests.settled(sid, 'SUSPENDED', SUSPENDED)
    assert guests.conn.lookupByUUIDString(sid).hasManagedSaveImage(0)
    guests.act(sid, {'resume': None})
    guests.settled(sid, 'ACTIVE', RUNNING)
    guests.timed('suspend + resume', started)
    assert guests.boots(sid) == 3  # it went on from its saved memory


def _change_password(guests: Guests, sid: str) -> None:
    """Through the QEMU guest agent: the test guest's stand-in agent
    prints the (base64) password it was given."""
    encoded = base64.b64encode(b'n3w-Pass').decode()
    sent = f'{guest_image.PASSWORD} root {encoded}'

    def password_set() -> bool:
        # A guest just resumed from its saved memory may take a moment to
        # be heard from again: the action then fails (a fault) and is
        # asked again.
        guests.act(sid, {'changePassword': {'adminPass': 'n3w-Pass'}})
        guests.settled(sid, 'ACTIVE', RUNNING)
        return sent in guests.console(sid)
    daemons.wait_for(password_set, 60,
                     'the guest agent to be given the password')


def _token(url: str) -> str:
    """The token of a noVNC URL: a query parameter, or one inside the
    ``path`` parameter (``vnc_auto.html?path=%3Ftoken%3D...``)."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if 'token' in query:
        return query['token'][0]
    inner = urllib.parse.urlsplit(query['path'][0]).query
    return urllib.parse.parse_qs(inner)['token'][0]


def _vnc_console(guests: Guests, sid: str) -> None:
    """The console URL's token leads to the guest's real VNC server."""
    status, body = guests.deployment.api(
        'POST', f'/servers/{sid}/remote-consoles',
        {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
        token=USER, version='2.6')
    assert status == 200, body
    status, found = guests.deployment.api(
        'GET', f"/os-console-auth-tokens/"
               f"{_token(body['remote_console']['url'])}", version='2.31')
    assert status == 200, found
    console = found['console']
    domain = ET.fromstring(guests.conn.lookupByUUIDString(sid).XMLDesc(0))
    graphics = domain.find('devices/graphics[@type="vnc"]')
    assert console['instance_uuid'] == sid
    assert console['port'] == int(graphics.get('port')) > 0
    assert console['host'] == graphics.get('listen') == '127.0.0.1'
    with socket.create_connection((console['host'], console['port']),
                                  timeout=10) as vnc:
        assert vnc.recv(12).startswith(b'RFB ')  # QEMU's VNC server


def _rescue(guests: Guests, sid: str, rescue_image: str) -> None:
    """Boot 4 from the rescue image with the guest's disk second, boot 5
    from its own disk again."""
    started = time.monotonic()
    answer = guests.act(sid, {'rescue': {'rescue_image_ref': rescue_image}},
                        expect=200)
    assert answer['adminPass']
    guests.settled(sid, 'RESCUE', RUNNING)
    rescued = guests.wait_for_boot(sid, 4)
    guests.timed('rescue', started)
    assert rescued.marker.endswith('acpi=off')
    assert rescued.disks == {'vda': 'NOVA-DEAF', 'vdb': 'NOVA-ACPI'}

    started = time.monotonic()
    guests.act(sid, {'unrescue': None})
    guests.settled(sid, 'ACTIVE', RUNNING)
    unrescued = guests.wait_for_boot(sid, 5)
    guests.timed('unrescue', started)
    assert unrescued.marker.endswith('acpi=on')
    assert unrescued.disks == {'vda': 'NOVA-ACPI'}


def _snapshot_and_boot_it(guests: Guests, sid: str) -> None:
    """createImage, then a second server from the snapshot boots."""
    started = time.monotonic()
    answer = guests.act(sid, {'createImage': {'name': 'qemu-snap'}},
                        version='2.45')
    snapshot = answer['image_id']
    guests.settled(sid, 'ACTIVE', RUNNING)
    daemons.wait_for(lambda: guests.image_status(snapshot) == 'active',
                     BOOT_TIMEOUT, f'snapshot {snapshot} to be active')
    guests.timed('snapshot', started)
    assert guests.boots(sid) == 5  # the guest ran on, not rebooted

    started = time.monotonic()
    copy = guests.boot('qemu-copy', snapshot)
    booted = guests.wait_for_boot(copy, 1)
    guests.timed('boot from snapshot', started)
    assert booted.disks == {'vda': 'NOVA-ACPI'}
    guests.delete(copy)


def _domain_sizes(guests: Guests, sid: str) -> tuple[int, int]:
    """(vCPUs, memory MiB) of the guest's domain."""
    _state, max_kib, _kib, vcpus, _cpu = guests.conn.lookupByUUIDString(
        sid).info()
    return vcpus, max_kib // 1024


def _domain_image(guests: Guests, sid: str) -> str:
    """The image the driver made the guest's root disk from."""
    domain = ET.fromstring(guests.conn.lookupByUUIDString(sid).XMLDesc(0))
    return domain.find('metadata/nova:instance/nova:image',
                       {'nova': config.NAMESPACE}).get('id')


def _resize(guests: Guests, sid: str, instance_dir: str) -> None:
    """Boots 6 to 8: resized, reverted, resized and confirmed."""
    status, body = guests.deployment.api('POST', '/flavors', {'flavor': {
        'name': 'qemu.big', 'id': BIG_FLAVOR, 'ram': 768, 'vcpus': 2,
        'disk': 2}})
    assert status == 200, body
    assert _domain_sizes(guests, sid) == (1, 512)  # m1.tiny

    started = time.monotonic()
    guests.act(sid, {'resize': {'flavorRef': BIG_FLAVOR}})
    server = guests.settled(sid, 'VERIFY_RESIZE', RUNNING)
    assert guests.wait_for_boot(sid, 6).disks == {'vda': 'NOVA-ACPI'}
    guests.timed('resize', started)
    assert server['flavor']['id'] == BIG_FLAVOR
    assert _domain_sizes(guests, sid) == (2, 768)

    started = time.monotonic()
    guests.act(sid, {'revertResize': None})
    server = guests.settled(sid, 'ACTIVE', RUNNING)
    guests.wait_for_boot(sid, 7)
    guests.timed('revert resize', started)
    assert server['flavor']['id'] == '1'
    assert _domain_sizes(guests, sid) == (1, 512)
    assert not os.path.exists(os.path.join(instance_dir, 'resize'))

    guests.act(sid, {'resize': {'flavorRef': BIG_FLAVOR}})
    guests.settled(sid, 'VERIFY_RESIZE', RUNNING)
    guests.wait_for_boot(sid, 8)
    assert os.path.exists(os.path.join(instance_dir, 'resize'))
    guests.act(sid, {'confirmResize': None}, expect=204)
    server = guests.settled(sid, 'ACTIVE', RUNNING)
    assert server['flavor']['id'] == BIG_FLAVOR
    assert _domain_sizes(guests, sid) == (2, 768)
    assert not os.path.exists(os.path.join(instance_dir, 'resize'))
    assert guests.boots(sid) == 8


def _shelve(guests: Guests, sid: str, image_id: str,
            instance_dir: str) -> None:
    """Offloaded: guest and disks gone; unshelved: booted from the shelve
    snapshot (a fresh instance directory, so its console log restarts)."""
    started = time.monotonic()
    guests.act(sid, {'shelve': None})
    guests.settled(sid, 'SHELVED_OFFLOADED')
    guests.timed('shelve + offload', started)
    assert sid not in [d.UUIDString() for d in guests.conn.listAllDomains(0)]
    assert not os.path.exists(instance_dir)

    started = time.monotonic()
    guests.act(sid, {'unshelve': None})
    guests.settled(sid, 'ACTIVE', RUNNING)
    assert guests.wait_for_boot(sid, 1).disks == {'vda': 'NOVA-ACPI'}
    guests.timed('unshelve', started)
    shelved_image = _domain_image(guests, sid)
    assert shelved_image != image_id
    assert _domain_sizes(guests, sid) == (2, 768)  # the confirmed flavor
    # Unshelve deletes the shelve snapshot once the guest runs.
    daemons.wait_for(lambda: _image_gone(guests, shelved_image), 30,
                     f'shelved image {shelved_image} to be deleted')


def _image_gone(guests: Guests, image_id: str) -> bool:
    try:
        guests.image_status(image_id)
    except urllib.error.HTTPError as err:
        return err.code == 404
    return False


def _rebuild(guests: Guests, sid: str, image: str, boot: int) -> None:
    started = time.monotonic()
    guests.act(sid, {'rebuild': {'imageRef': image}})
    server = guests.settled(sid, 'ACTIVE', RUNNING)
    rebuilt = guests.wait_for_boot(sid, boot)
    guests.timed('rebuild', started)
    assert server['image']['id'] == image
    assert rebuilt.marker.endswith('acpi=off')
    assert rebuilt.disks == {'vda': 'NOVA-DEAF'}


def test_every_action_on_a_qemu_guest(deployment, libvirt_daemon,
                                      tmp_path):
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
                   shutdown_retry_interval=5, allow_resize_to_same_host=True,
                   shelved_offload_time=0)
    deployment.seed_catalog()
    deployment.start('nova-image-api')
    conn = libvirt.open(libvirt_daemon.uri)
    guests = Guests(deployment, image_port, conn)
    image_id = guests.upload_image('nova-test-guest', images.acpi,
                                   hw_qemu_guest_agent='yes')
    other_image = guests.upload_image('nova-test-guest-deaf', images.deaf)
    deployment.start_control_plane(computes=('compute1',))
    sid = None
    try:
        started = time.monotonic()
        sid = guests.boot('qemu-1', image_id)
        first = guests.wait_for_boot(sid, 1)
        guests.timed('boot', started)
        assert first.marker == f'{guest_image.MARKER} {sid} acpi=on'
        assert first.disks == {'vda': 'NOVA-ACPI'}
        assert conn.lookupByUUIDString(sid).isActive()

        _power_actions(guests, sid)
        _change_password(guests, sid)
        _vnc_console(guests, sid)
        _rescue(guests, sid, other_image)
        _snapshot_and_boot_it(guests, sid)
        _resize(guests, sid, str(instances_path / sid))
        _shelve(guests, sid, image_id, str(instances_path / sid))
        _rebuild(guests, sid, other_image, boot=2)

        # An operator pulls the plug behind nova's back: the driver's
        # lifecycle event makes the API show SHUTOFF.
        conn.lookupByUUIDString(sid).destroy()
        server = deployment.wait_status(sid, {'SHUTOFF'}, timeout=60)
        assert server['OS-EXT-STS:power_state'] == SHUTDOWN

        guests.delete(sid)
        assert sid not in [d.UUIDString() for d in conn.listAllDomains(0)]
        assert not os.path.exists(instances_path / sid)
        print('\n' + ', '.join(f'{name}: {seconds:.1f}s'
                               for name, seconds in guests.timings.items()))
    finally:
        # Whatever failed above, leave no guest behind.
        for domain in conn.listAllDomains(0):
            # Ours: the server's, or any whose disks are under our path
            # (the server booted from the snapshot).
            if (domain.UUIDString() == sid
                    or str(instances_path) in domain.XMLDesc(0)):
                if domain.isActive():
                    domain.destroy()
                domain.undefineFlags(
                    libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
        conn.close()
