"""Moving a real QEMU guest between two libvirt hosts, through the whole
control plane: live migration (completed, aborted, forced to complete),
cold migration and resize to the other host (confirmed and reverted),
evacuation from a dead compute and that compute's return.

Each compute has its own libvirtd (tests/fixtures/libvirt_hosts.py: a
separate mount namespace with its own state and host UUID, so libvirt
treats them as two machines), its own instances_path, and announces its
libvirtd's socket as ``[libvirt] migration_inbound_uri``; QEMU's streams
go over 127.0.0.1. The rest is as in test_libvirt_qemu.py: nova-api,
conductor, scheduler and image endpoint as daemons over RabbitMQ and
MariaDB.

One guest makes every trip, so that TCG boots stay few.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import libvirt
import pytest

from tests.fixtures import guest_image
from tests.fixtures import libvirt_hosts
from tests.multiprocess import daemons
from tests.multiprocess.test_libvirt_qemu import BOOT_TIMEOUT
from tests.multiprocess.test_libvirt_qemu import RUNNING
from tests.multiprocess.test_libvirt_qemu import Guests

HOSTS = ('compute1', 'compute2')
# Root disk 0: the image's size (64 MiB), which a live migration copies.
SMALL_FLAVOR = 'qemu-moves-small'
BIG_FLAVOR = 'qemu-moves-big'
# compute2 sends slowly (~8 s for the disk), so that a live migration from
# it is still running when the test aborts or forces it.
SLOW_MIB_PER_S = 8


@pytest.fixture(scope='module')
def hosts():
    # Lookups of a guest that is not on a host are expected: no stderr.
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    with libvirt_hosts.libvirt_hosts(*HOSTS) as started:
        yield started


class AdminGuests(Guests):
    """Guests acted on by the admin: moves are admin actions."""

    def act(self, server_id: str, body: dict[str, Any], expect: int = 202,
            version: str | None = None) -> Any:
        status, answer = self.deployment.api(
            'POST', f'/servers/{server_id}/action', body, version=version)
        assert status == expect, (body, status, answer)
        return answer

    def delete(self, server_id: str) -> None:
        status, _ = self.deployment.api('DELETE', f'/servers/{server_id}')
        assert status == 204
        daemons.wait_for(
            lambda: self.deployment.api(
                'GET', f'/servers/{server_id}')[0] == 404,
            BOOT_TIMEOUT, f'server {server_id} to be deleted')


class Cloud:
    def __init__(self, deployment: Any, guests: Guests,
                 hosts: dict[str, libvirt_hosts.Host],
                 tmp_path: Any) -> None:
        self.deployment = deployment
        self.guests = guests
        self.conns = {name: libvirt.open(host.uri)
                      for name, host in hosts.items()}
        self.instances = {h: str(tmp_path / f'instances-{h}') for h in HOSTS}
        # Each compute's own libvirtd and instances_path.
        self.options = {h: {'libvirt': {
            'connection_uri': hosts[h].uri,
            'migration_inbound_uri': hosts[h].uri,
            'instances_path': self.instances[h],
            'live_migration_bandwidth': SLOW_MIB_PER_S if h == 'compute2'
            else 0}} for h in HOSTS}

    def start_compute(self, host: str) -> Any:
        return self.deployment.start('nova-compute', host=host,
                                     extra=self.options[host])

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()

    def where(self, sid: str) -> dict[str, bool]:
        """host -> whether its libvirtd has the guest defined (running)."""
        found = {}
        for name, conn in self.conns.items():
            try:
                found[name] = conn.lookupByUUIDString(sid).isActive() == 1
            except libvirt.libvirtError:
                continue
        return found

    def files(self, host: str, sid: str) -> bool:
        return os.path.exists(os.path.join(self.instances[host], sid))

    def on(self, sid: str, host: str, status: str = 'ACTIVE') -> None:
        """The server is on ``host`` and only there: records, guest and
        files."""
        server = self.guests.settled(sid, status, RUNNING)
        assert server['OS-EXT-SRV-ATTR:host'] == host, server
        assert self.where(sid) == {host: True}
        other = next(h for h in HOSTS if h != host)
        assert self.files(host, sid) and not self.files(other, sid)

    def migration(self, sid: str, status: str) -> dict[str, Any]:
        def reached() -> dict[str, Any] | None:
            code, body = self.deployment.api(
                'GET', f'/os-migrations?instance_uuid={sid}',
                version='2.59')
            assert code == 200, body
            found = body['migrations']
            if found and found[0]['status'] == 'error' != status:
                raise AssertionError(f'migration failed: {found[0]}')
            return found[0] if found and found[0]['status'] == status \
                else None
        return daemons.wait_for(reached, BOOT_TIMEOUT,
                                f'the last migration of {sid} {status}')

    def compute_service(self, host: str) -> str:
        code, body = self.deployment.api(
            'GET', f'/os-services?binary=nova-compute&host={host}',
            version='2.53')
        assert code == 200, body
        return body['services'][0]['id']

    def force_down(self, service_id: str, down: bool) -> None:
        code, body = self.deployment.api(
            'PUT', f'/os-services/{service_id}', {'forced_down': down},
            version='2.53')
        assert code == 200, body

    def abort(self, sid: str, migration_id: int) -> None:
        code, body = self.deployment.api(
            'DELETE', f'/servers/{sid}/migrations/{migration_id}',
            version='2.24')
        assert code == 202, body

    def force_complete(self, sid: str, migration_id: int) -> None:
        code, body = self.deployment.api(
            'POST', f'/servers/{sid}/migrations/{migration_id}/action',
            {'force_complete': None}, version='2.22')
        assert code == 202, body

    def live_migrate(self, sid: str, host: str | None = None) -> None:
        self.guests.act(sid, {'os-migrateLive': {
            'host': host, 'block_migration': 'auto'}}, version='2.30')


def _live(cloud: Cloud, sid: str) -> None:
    """1 -> 2, then 2 -> 1 aborted, forced then aborted, and forced to
    complete."""
    started = time.monotonic()
    cloud.live_migrate(sid, 'compute2')
    done = cloud.migration(sid, 'completed')
    cloud.guests.timed('live migration', started)
    assert done['migration_type'] == 'live-migration'
    cloud.on(sid, 'compute2')
    # It went on running: no boot on its new host's console.
    assert cloud.guests.boots(sid) == 0

    cloud.live_migrate(sid, 'compute1')
    running = cloud.migration(sid, 'running')
    cloud.abort(sid, running['id'])
    cloud.migration(sid, 'cancelled')
    cloud.on(sid, 'compute2')

    # Forced (the guest paused), then aborted: it runs on where it was.
    cloud.live_migrate(sid, 'compute1')
    running = cloud.migration(sid, 'running')
    cloud.force_complete(sid, running['id'])
    daemons.wait_for(
        lambda: cloud.conns['compute2'].lookupByUUIDString(sid).state()[0]
        == libvirt.VIR_DOMAIN_PAUSED, 30, 'force-complete to pause it')
    cloud.abort(sid, running['id'])
    cloud.migration(sid, 'cancelled')
    cloud.on(sid, 'compute2')

    cloud.live_migrate(sid, 'compute1')
    running = cloud.migration(sid, 'running')
    cloud.force_complete(sid, running['id'])
    cloud.migration(sid, 'completed')
    # Paused to converge, resumed on arrival.
    cloud.on(sid, 'compute1')
    assert cloud.guests.boots(sid) == 0


def _cold(cloud: Cloud, sid: str) -> None:
    """Migrate 1 -> 2 confirmed; resize 2 -> 1 reverted."""
    started = time.monotonic()
    cloud.guests.act(sid, {'migrate': {'host': 'compute2'}}, version='2.56')
    server = cloud.guests.settled(sid, 'VERIFY_RESIZE', RUNNING)
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute2'
    # Stopped on the source, started on the destination from its disks.
    assert cloud.where(sid) == {'compute1': False, 'compute2': True}
    boot = cloud.guests.wait_for_boot(sid, 1)
    cloud.guests.timed('cold migration', started)
    assert boot.disks == {'vda': 'NOVA-ACPI'}
    cloud.guests.act(sid, {'confirmResize': None}, expect=204)
    cloud.on(sid, 'compute2')

    cloud.guests.act(sid, {'resize': {'flavorRef': BIG_FLAVOR}})
    server = cloud.guests.settled(sid, 'VERIFY_RESIZE', RUNNING)
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute1'
    resized = cloud.conns['compute1'].lookupByUUIDString(sid).info()
    assert (resized[3], resized[1] // 1024) == (2, 384)
    assert cloud.guests.wait_for_boot(sid, 1).disks == {'vda': 'NOVA-ACPI'}
    cloud.guests.act(sid, {'revertResize': None})
    server = cloud.guests.settled(sid, 'ACTIVE', RUNNING)
    assert server['flavor']['id'] == SMALL_FLAVOR
    cloud.on(sid, 'compute2')
    # Started again from its own disks (the console log is compute2's).
    cloud.guests.wait_for_boot(sid, 2)
    reverted = cloud.conns['compute2'].lookupByUUIDString(sid).info()
    assert (reverted[3], reverted[1] // 1024) == (1, 256)


def _evacuate(cloud: Cloud, sid: str, started: dict[str, Any]) -> None:
    """compute2's nova-compute dies (its guest runs on); the server is
    rebuilt on compute1; compute2 comes back and removes its copy."""
    started['compute2'].signal(signal.SIGKILL)
    started['compute2'].proc.wait(30)
    # The operator marks it down at once rather than waiting for it to be
    # seen down.
    service = cloud.compute_service('compute2')
    cloud.force_down(service, True)
    assert cloud.where(sid) == {'compute2': True}
    cloud.guests.act(sid, {'evacuate': {}}, version='2.68')
    server = cloud.guests.settled(sid, 'ACTIVE', RUNNING)
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert cloud.guests.wait_for_boot(sid, 1).disks == {'vda': 'NOVA-ACPI'}
    assert cloud.where(sid) == {'compute1': True, 'compute2': True}

    started['compute2'] = cloud.start_compute('compute2')
    evacuation = cloud.migration(sid, 'completed')
    assert evacuation['migration_type'] == 'evacuation'
    cloud.force_down(service, False)
    cloud.on(sid, 'compute1')


def test_moving_a_qemu_guest_between_two_hosts(deployment, hosts,
                                               tmp_path):
    images = guest_image.guest_images()
    image_port = daemons.free_port()
    deployment.set('DEFAULT', compute_driver='libvirt')
    deployment.set('libvirt', virt_type='qemu', shutdown_timeout=5,
                   migration_inbound_addr='127.0.0.1')
    deployment.set('image', image_api_listen='127.0.0.1',
                   image_api_listen_port=image_port)
    deployment.set('glance', api_servers=f'http://127.0.0.1:{image_port}')
    deployment.set('compute', shutdown_timeout=30,
                   shutdown_retry_interval=5,
                   allow_resize_to_same_host=False)
    # A libvirt compute reports only once its driver is up, seconds after
    # it registered (longer than this test's service_down_time): the
    # scheduler may have cached it as down; reload on every request.
    deployment.set('filter_scheduler', host_state_full_reload_interval=0)
    deployment.seed_catalog()
    deployment.start('nova-image-api')
    guests = AdminGuests(deployment, image_port, None)
    cloud = Cloud(deployment, guests, hosts, tmp_path)
    started = deployment.start_control_plane(computes=())
    for h in HOSTS:
        started[h] = cloud.start_compute(h)
    image_id = guests.upload_image('nova-test-guest', images.acpi)
    sid = None
    try:
        for flavor_id, name, ram, vcpus, disk in (
                (SMALL_FLAVOR, 'qemu.moves.small', 256, 1, 0),
                (BIG_FLAVOR, 'qemu.moves.big', 384, 2, 1)):
            status, body = deployment.api('POST', '/flavors', {'flavor': {
                'name': name, 'id': flavor_id, 'ram': ram, 'vcpus': vcpus,
                'disk': disk}})
            assert status == 200, body
        status, body = deployment.boot(
            'traveller', image_id, flavor=SMALL_FLAVOR, token='admin:admin',
            availability_zone='nova:compute1')
        assert status == 202, body
        sid = body['server']['id']
        cloud.on(sid, 'compute1')
        guests.wait_for_boot(sid, 1)

        _live(cloud, sid)
        _cold(cloud, sid)
        _evacuate(cloud, sid, started)

        guests.delete(sid)
        assert cloud.where(sid) == {}
        assert not any(cloud.files(h, sid) for h in HOSTS)
        sid = None
    finally:
        print('timings:', {k: round(v, 1) for k, v in
                           guests.timings.items()})
        if sid is not None:
            deployment.api('DELETE', f'/servers/{sid}')
        cloud.close()
