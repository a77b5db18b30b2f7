"""The libvirt driver against libvirtd and real QEMU guests (TCG).

The guest (tests/fixtures/guest_image.py) is a Debian kernel with a busybox
initramfs booted from a disk image; on every boot it prints
``NOVA-GUEST-MARKER <domain uuid> acpi=on|off`` on its serial port, so the
number of marker lines in the console log is the number of boots. The
``acpi`` image powers off on the ACPI power button (and says so with a
``NOVA-GUEST-POWER-BUTTON`` line); the ``deaf`` one ignores it.

The driver is loaded and called the way nova/compute/manager.py does:
``load_compute_driver`` by name, ``init_host``, then the contract's
methods. The image service is a directory-backed test double
(tests/unit/virt/factories.DirImageAPI): the image service is not what
this test is about. A raw libvirt connection plays the operator acting
behind the driver's back.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
import types
import xml.etree.ElementTree as ET
from collections.abc import Callable

import libvirt
import pytest

from nova import exception
from nova.virt import contract
from nova.virt import driver as virt_driver
from nova.virt import power_state
from nova.virt.event import Transition
from tests.fixtures import guest_image
from tests.fixtures import libvirtd as libvirtd_fixture
from tests.unit.virt import factories

BOOT_TIMEOUT = 120  # seconds; TCG on a busy 2-core machine is slow
MARKER = guest_image.MARKER
POWER_BUTTON = 'NOVA-GUEST-POWER-BUTTON'


@pytest.fixture(scope='module')
def daemon():
    with libvirtd_fixture.libvirtd() as d:
        yield d


@pytest.fixture(scope='module')
def images() -> guest_image.GuestImages:
    return guest_image.guest_images()


def wait_until(predicate: Callable[[], object], what: str,
               timeout: float = BOOT_TIMEOUT) -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f'{what}: not within {timeout}s')
        time.sleep(0.2)


@pytest.fixture
def env(tmp_path, flags, daemon, images):
    flags(compute_driver='libvirt')
    flags('libvirt', connection_uri=daemon.uri, virt_type='qemu',
          instances_path=str(tmp_path / 'instances'), shutdown_timeout=3)
    api = factories.DirImageAPI(str(tmp_path / 'images'))
    api.add('image-acpi', images.acpi)
    api.add('image-deaf', images.deaf)
    drv = virt_driver.load_compute_driver(image_api=api)
    drv.init_host('compute-1')
    events = factories.EventRecorder()
    drv.register_event_listener(events)
    raw = libvirt.open(daemon.uri)
    spawned = []

    def spawn(image_id: str = 'image-acpi', **overrides):
        instance = factories.make_instance(image_ref=image_id, **overrides)
        # Domain names are global to the daemon: make ours unmistakable.
        instance.name = f'nova-test-{instance.uuid}'
        spawned.append(instance)
        drv.spawn(None, instance, factories.make_image_meta(id=image_id),
                  [], None, {}, [])
        return instance

    def console(instance) -> str:
        return drv.get_console_output(None, instance)

    def markers(instance) -> list[str]:
        return [line.strip() for line in console(instance).splitlines()
                if line.startswith(MARKER)]

    def wait_for_boots(instance, count: int = 1) -> list[str]:
        """Wait until the guest has printed its marker ``count`` times."""
        wait_until(lambda: len(markers(instance)) >= count,
                   f'boot {count} of {instance.uuid} to print its marker')
        return markers(instance)

    def state(instance) -> int:
        return drv.get_info(instance).state

    yield types.SimpleNamespace(
        driver=drv, api=api, events=events, raw=raw, spawn=spawn,
        console=console, markers=markers, wait_for_boots=wait_for_boots,
        state=state, tmp=tmp_path)
    for instance in spawned:
        drv.destroy(None, instance, [])
    drv.cleanup_host('compute-1')
    raw.close()


def qemu_img_info(path: str) -> dict:
    out = subprocess.run(['qemu-img', 'info', '-U', '--output=json', path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


# -- spawn, console, image cache -------------------------------------------
def test_spawn_boots_a_qcow2_overlay_of_the_cached_image(env):
    started = time.monotonic()
    instance = env.spawn()
    spawned = time.monotonic()
    (marker,) = env.wait_for_boots(instance)
    booted = time.monotonic()
    # The guest read its SMBIOS uuid: the marker is from *this* domain.
    assert marker == f'{MARKER} {instance.uuid} acpi=on'
    assert env.state(instance) == power_state.RUNNING

    disk = os.path.join(env.driver.instance_dir(instance.uuid), 'disk')
    info = qemu_img_info(disk)
    assert info['format'] == 'qcow2'
    base = info['full-backing-filename']
    assert os.path.dirname(base) == os.path.join(
        str(env.tmp / 'instances'), '_base')
    assert info['virtual-size'] == 1024 ** 3  # the flavor's root_gb
    domain = ET.fromstring(env.raw.lookupByUUIDString(instance.uuid)
                           .XMLDesc(0))
    assert domain.get('type') == 'qemu'
    assert domain.find('devices/disk/source').get('file') == disk

    # A second guest of the same image reuses the cached download.
    second = env.spawn()
    env.wait_for_boots(second)
    assert env.api.downloads['image-acpi'] == 1
    assert qemu_img_info(os.path.join(
        env.driver.instance_dir(second.uuid), 'disk'))[
            'full-backing-filename'] == base
    print(f'\nspawn (first download, disks, define, start): '
          f'{spawned - started:.1f}s; then boot to marker: '
          f'{booted - spawned:.1f}s')


def test_spawn_refuses_an_image_that_is_not_what_it_claims(env):
    not_qcow2 = env.tmp / 'raw-pretending.img'
    not_qcow2.write_bytes(b'\0' * 1024 * 1024)
    env.api.add('image-liar', str(not_qcow2))
    instance = factories.make_instance(image_ref='image-liar')
    with pytest.raises(exception.ImageUnacceptable):
        env.driver.spawn(None, instance,
                         factories.make_image_meta(id='image-liar'),
                         [], None, {}, [])
    # Nothing left behind: no domain, no instance directory, no cache entry.
    assert not env.driver.instance_exists(instance)
    assert not os.path.exists(env.driver.instance_dir(instance.uuid))
    cached = hashlib.sha256(b'image-liar').hexdigest()
    assert [name for name in os.listdir(env.tmp / 'instances' / '_base')
            if name.startswith(cached)] == []


def test_spawning_the_same_instance_twice_is_refused(env):
    instance = env.spawn()
    with pytest.raises(exception.InstanceExists):
        env.driver.spawn(None, instance,
                         factories.make_image_meta(id='image-acpi'),
                         [], None, {}, [])
    env.wait_for_boots(instance)  # the first guest is unharmed


# -- power -----------------------------------------------------------------
def test_power_off_cleanly_then_power_on_boots_again(env):
    instance = env.spawn()
    env.wait_for_boots(instance)
    env.driver.power_off(instance, timeout=60, retry_interval=5)
    assert env.state(instance) == power_state.SHUTDOWN
    assert POWER_BUTTON in env.console(instance)  # the guest OS did it

    env.driver.power_on(None, instance, [])
    assert env.state(instance) == power_state.RUNNING
    env.wait_for_boots(instance, 2)


def test_power_off_pulls_the_plug_when_the_guest_ignores_acpi(env):
    instance = env.spawn(image_id='image-deaf')
    (marker,) = env.wait_for_boots(instance)
    assert marker.endswith('acpi=off')
    started = time.monotonic()
    env.driver.power_off(instance, timeout=2, retry_interval=1)
    assert time.monotonic() - started >= 2  # it did wait for the guest
    assert env.state(instance) == power_state.SHUTDOWN
    assert POWER_BUTTON not in env.console(instance)


def test_soft_reboot_shuts_down_cleanly_and_boots_again(env):
    instance = env.spawn()
    env.wait_for_boots(instance)
    env.driver.reboot(None, instance, [], 'SOFT')
    assert env.state(instance) == power_state.RUNNING
    env.wait_for_boots(instance, 2)
    assert POWER_BUTTON in env.console(instance)


def test_soft_reboot_falls_back_to_hard_after_shutdown_timeout(env, flags):
    flags('libvirt', shutdown_timeout=2)
    instance = env.spawn(image_id='image-deaf')
    env.wait_for_boots(instance)
    started = time.monotonic()
    env.driver.reboot(None, instance, [], 'SOFT')
    assert time.monotonic() - started >= 2
    env.wait_for_boots(instance, 2)
    assert env.state(instance) == power_state.RUNNING


def test_hard_reboot_boots_again(env):
    instance = env.spawn(image_id='image-deaf')
    env.wait_for_boots(instance)
    env.driver.reboot(None, instance, [], 'HARD')
    env.wait_for_boots(instance, 2)
    assert env.state(instance) == power_state.RUNNING
    with pytest.raises(exception.Invalid):
        env.driver.reboot(None, instance, [], 'GENTLE')


def test_pause_and_unpause(env):
    instance = env.spawn()
    env.wait_for_boots(instance)
    env.driver.pause(instance)
    assert env.state(instance) == power_state.PAUSED
    env.events.wait_for(instance.uuid, Transition.PAUSED)
    with pytest.raises(exception.InstanceInvalidState):
        env.driver.pause(instance)
    env.driver.unpause(instance)
    assert env.state(instance) == power_state.RUNNING
    env.events.wait_for(instance.uuid, Transition.RESUMED)


def test_suspend_saves_memory_and_resume_continues_without_reboot(env):
    instance = env.spawn()
    env.wait_for_boots(instance)
    env.driver.suspend(None, instance)
    assert env.state(instance) == power_state.SUSPENDED
    domain = env.raw.lookupByUUIDString(instance.uuid)
    assert domain.hasManagedSaveImage(0) and not domain.isActive()
    env.events.wait_for(instance.uuid, Transition.SUSPENDED)

    env.driver.resume(None, instance, [])
    assert env.state(instance) == power_state.RUNNING
    # Still the first boot: the guest went on from its saved memory. It
    # answers the power button, which it could not if it were frozen.
    env.driver.power_off(instance, timeout=60, retry_interval=5)
    assert POWER_BUTTON in env.console(instance)
    assert len(env.markers(instance)) == 1


# -- snapshot --------------------------------------------------------------
def test_snapshot_uploads_a_flat_qcow2_that_boots(env):
    instance = env.spawn()
    env.wait_for_boots(instance)
    tasks = factories.TaskStateRecorder()
    env.driver.snapshot(None, instance, 'snap-1', tasks, env.api)
    assert tasks.calls == [
        (contract.IMAGE_PENDING_UPLOAD, None),
        (contract.IMAGE_UPLOADING, contract.IMAGE_PENDING_UPLOAD)]
    assert env.api.uploads == {'snap-1': 'qcow2'}
    info = qemu_img_info(env.api.path('snap-1'))
    assert info['format'] == 'qcow2'
    assert 'backing-filename' not in info  # self-contained
    # The guest goes on running, not rebooted.
    assert env.state(instance) == power_state.RUNNING
    assert len(env.markers(instance)) == 1
    # And the snapshot is a bootable image.
    copy = env.spawn(image_id='snap-1')
    (marker,) = env.wait_for_boots(copy)
    assert copy.uuid in marker


# -- destroy, events, errors -----------------------------------------------
def test_destroy_removes_the_domain_and_the_instance_directory(env):
    instance = env.spawn()
    instance_dir = env.driver.instance_dir(instance.uuid)
    assert os.path.isdir(instance_dir)
    env.driver.destroy(None, instance, [])
    assert not os.path.exists(instance_dir)
    assert not env.driver.instance_exists(instance)
    with pytest.raises(libvirt.libvirtError):
        env.raw.lookupByUUIDString(instance.uuid)
    env.driver.destroy(None, instance, [])  # twice is harmless


def test_a_guest_stopped_behind_our_back_produces_a_lifecycle_event(env):
    instance = env.spawn()
    env.events.wait_for(instance.uuid, Transition.STARTED, BOOT_TIMEOUT)
    env.wait_for_boots(instance)
    env.events.clear()
    env.raw.lookupByUUIDString(instance.uuid).destroy()  # "virsh destroy"
    env.events.wait_for(instance.uuid, Transition.STOPPED)
    assert env.state(instance) == power_state.SHUTDOWN

    # The guest OS powering itself off is noticed the same way.
    env.driver.power_on(None, instance, [])
    env.wait_for_boots(instance, 2)
    env.events.clear()
    env.raw.lookupByUUIDString(instance.uuid).shutdown()  # power button
    env.events.wait_for(instance.uuid, Transition.STOPPED)
    assert env.state(instance) == power_state.SHUTDOWN


def test_errors_map_to_the_contract_exceptions(env):
    unknown = factories.make_instance()
    with pytest.raises(exception.InstanceNotFound):
        env.driver.get_info(unknown)
    with pytest.raises(exception.InstanceNotFound):
        env.driver.reboot(None, unknown, [], 'HARD')

    instance = env.spawn(image_id='image-deaf')
    env.driver.power_off(instance)
    with pytest.raises(exception.InstanceInvalidState):
        env.driver.pause(instance)
    with pytest.raises(exception.InstanceInvalidState):
        env.driver.resume(None, instance, [])
    # QEMU itself fails: its disk vanished behind our back.
    disk = os.path.join(env.driver.instance_dir(instance.uuid), 'disk')
    os.unlink(disk)
    with pytest.raises(exception.VirtDriverError) as err:
        env.driver.power_on(None, instance, [])
    assert disk in str(err.value)
    assert env.state(instance) == power_state.SHUTDOWN


# -- host ------------------------------------------------------------------
def test_host_resources_come_from_libvirt_and_qemu(env):
    (node,) = env.driver.get_available_nodes()
    idle = env.driver.get_available_resource(node)
    model, memory_mb, cpus = env.raw.getInfo()[:3]
    assert idle['vcpus'] == cpus == os.cpu_count()
    assert idle['memory_mb'] == memory_mb
    with open('/proc/meminfo') as f:
        total_kib = int(f.readline().split()[1])
    # libvirt adds up the NUMA nodes' memory, which a sandboxed kernel may
    # show as less than /proc/meminfo's total; never more.
    assert 0 < idle['memory_mb'] <= total_kib // 1024
    fs = os.statvfs(env.tmp)
    assert idle['local_gb'] == fs.f_blocks * fs.f_frsize // 1024 ** 3
    assert idle['hypervisor_type'] == 'QEMU'
    # libvirt's version number of QEMU: major * 1e6 + minor * 1e3 + micro.
    version = subprocess.run(['qemu-system-x86_64', '--version'],
                             check=True, capture_output=True,
                             text=True).stdout.split()[3]
    major, minor, micro = (int(p) for p in version.split('.')[:3])
    assert idle['hypervisor_version'] == \
        major * 1_000_000 + minor * 1_000 + micro
    assert json.loads(idle['cpu_info'])['arch'] == 'x86_64'

    env.spawn(flavor=factories.make_flavor(vcpus=2, memory_mb=320))
    busy = env.driver.get_available_resource(node)
    assert busy['vcpus_used'] == idle['vcpus_used'] + 2
    assert busy['memory_mb_used'] == idle['memory_mb_used'] + 320


# -- connection ------------------------------------------------------------
def test_events_resume_by_themselves_after_libvirtd_restarts(env):
    instance = env.spawn()
    env.wait_for_boots(instance)
    before = env.driver.host.generation
    away = libvirtd_fixture.restart()
    # No driver call in between: the close callback made it reconnect.
    wait_until(lambda: env.driver.host.generation > before,
               'the driver to reconnect to libvirtd', timeout=30)
    env.events.clear()
    raw = libvirt.open(env.driver.host.uri)
    try:
        # The guest outlived the daemon; stopping it now is noticed.
        raw.lookupByUUIDString(instance.uuid).destroy()
    finally:
        raw.close()
    env.events.wait_for(instance.uuid, Transition.STOPPED)
    assert env.state(instance) == power_state.SHUTDOWN
    print(f'\nlibvirtd restart: {away:.1f}s')
