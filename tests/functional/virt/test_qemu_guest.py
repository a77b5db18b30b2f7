"""The libvirt driver against libvirtd and real QEMU guests (TCG): spawn,
power, pause, suspend, snapshot, destroy, events, host facts and errors.
How the guests and the driver are set up: tests/functional/virt/qemu.py.
The ``acpi`` image powers off on the ACPI power button (and says so with
a ``NOVA-GUEST-POWER-BUTTON`` line); the ``deaf`` one ignores it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import time
import xml.etree.ElementTree as ET

import libvirt
import pytest

from nova import exception
from nova.virt import contract
from nova.virt import power_state
from nova.virt.event import Transition
from tests.fixtures import libvirtd as libvirtd_fixture
from tests.functional.virt.qemu import BOOT_TIMEOUT
from tests.functional.virt.qemu import MARKER
from tests.functional.virt.qemu import PASSWORD
from tests.functional.virt.qemu import POWER_BUTTON
from tests.functional.virt.qemu import qemu_img_info
from tests.functional.virt.qemu import wait_until
from tests.unit.virt import factories


# -- spawn, console, image cache -------------------------------------------
def test_spawn_boots_a_qcow2_overlay_of_the_cached_image(qemu):
    started = time.monotonic()
    instance = qemu.spawn()
    spawned = time.monotonic()
    (marker,) = qemu.wait_for_boots(instance)
    booted = time.monotonic()
    # The guest read its SMBIOS uuid: the marker is from *this* domain.
    assert marker == f'{MARKER} {instance.uuid} acpi=on'
    # It sees its root disk, made from image-acpi, and nothing else.
    assert qemu.wait_for_boot(instance, 1).disks == {'vda': 'NOVA-ACPI'}
    assert qemu.state(instance) == power_state.RUNNING

    disk = os.path.join(qemu.driver.instance_dir(instance.uuid), 'disk')
    info = qemu_img_info(disk)
    assert info['format'] == 'qcow2'
    base = info['full-backing-filename']
    assert os.path.dirname(base) == os.path.join(
        str(qemu.tmp / 'instances'), '_base')
    assert info['virtual-size'] == 1024 ** 3  # the flavor's root_gb
    domain = ET.fromstring(qemu.raw.lookupByUUIDString(instance.uuid)
                           .XMLDesc(0))
    assert domain.get('type') == 'qemu'
    assert domain.find('devices/disk/source').get('file') == disk

    # A second guest of the same image reuses the cached download.
    second = qemu.spawn()
    qemu.wait_for_boots(second)
    assert qemu.api.downloads['image-acpi'] == 1
    assert qemu_img_info(os.path.join(
        qemu.driver.instance_dir(second.uuid), 'disk'))[
            'full-backing-filename'] == base
    print(f'\nspawn (first download, disks, define, start): '
          f'{spawned - started:.1f}s; then boot to marker: '
          f'{booted - spawned:.1f}s')


def test_spawn_refuses_an_image_that_is_not_what_it_claims(qemu):
    not_qcow2 = qemu.tmp / 'raw-pretending.img'
    not_qcow2.write_bytes(b'\0' * 1024 * 1024)
    qemu.api.add('image-liar', str(not_qcow2))
    instance = factories.make_instance(image_ref='image-liar')
    with pytest.raises(exception.ImageUnacceptable):
        qemu.driver.spawn(None, instance,
                         factories.make_image_meta(id='image-liar'),
                         [], None, {}, [])
    # Nothing left behind: no domain, no instance directory, no cache entry.
    assert not qemu.driver.instance_exists(instance)
    assert not os.path.exists(qemu.driver.instance_dir(instance.uuid))
    cached = hashlib.sha256(b'image-liar').hexdigest()
    assert [name for name in os.listdir(qemu.tmp / 'instances' / '_base')
            if name.startswith(cached)] == []


def test_spawning_the_same_instance_twice_is_refused(qemu):
    instance = qemu.spawn()
    with pytest.raises(exception.InstanceExists):
        qemu.driver.spawn(None, instance,
                         factories.make_image_meta(id='image-acpi'),
                         [], None, {}, [])
    qemu.wait_for_boots(instance)  # the first guest is unharmed


# -- power -----------------------------------------------------------------
def test_power_off_cleanly_then_power_on_boots_again(qemu):
    instance = qemu.spawn()
    qemu.wait_for_boots(instance)
    qemu.driver.power_off(instance, timeout=60, retry_interval=5)
    assert qemu.state(instance) == power_state.SHUTDOWN
    assert POWER_BUTTON in qemu.console(instance)  # the guest OS did it

    qemu.driver.power_on(None, instance, [])
    assert qemu.state(instance) == power_state.RUNNING
    qemu.wait_for_boots(instance, 2)


def test_power_off_pulls_the_plug_when_the_guest_ignores_acpi(qemu):
    instance = qemu.spawn(image_id='image-deaf')
    (marker,) = qemu.wait_for_boots(instance)
    assert marker.endswith('acpi=off')
    started = time.monotonic()
    qemu.driver.power_off(instance, timeout=2, retry_interval=1)
    assert time.monotonic() - started >= 2  # it did wait for the guest
    assert qemu.state(instance) == power_state.SHUTDOWN
    assert POWER_BUTTON not in qemu.console(instance)


def test_soft_reboot_shuts_down_cleanly_and_boots_again(qemu):
    instance = qemu.spawn()
    qemu.wait_for_boots(instance)
    qemu.driver.reboot(None, instance, [], 'SOFT')
    assert qemu.state(instance) == power_state.RUNNING
    qemu.wait_for_boots(instance, 2)
    assert POWER_BUTTON in qemu.console(instance)


def test_soft_reboot_falls_back_to_hard_after_shutdown_timeout(qemu, flags):
    flags('libvirt', shutdown_timeout=2)
    instance = qemu.spawn(image_id='image-deaf')
    qemu.wait_for_boots(instance)
    started = time.monotonic()
    qemu.driver.reboot(None, instance, [], 'SOFT')
    assert time.monotonic() - started >= 2
    qemu.wait_for_boots(instance, 2)
    assert qemu.state(instance) == power_state.RUNNING


def test_hard_reboot_boots_again(qemu):
    instance = qemu.spawn(image_id='image-deaf')
    qemu.wait_for_boots(instance)
    qemu.driver.reboot(None, instance, [], 'HARD')
    qemu.wait_for_boots(instance, 2)
    assert qemu.state(instance) == power_state.RUNNING
    with pytest.raises(exception.Invalid):
        qemu.driver.reboot(None, instance, [], 'GENTLE')


def test_pause_and_unpause(qemu):
    instance = qemu.spawn()
    qemu.wait_for_boots(instance)
    qemu.driver.pause(instance)
    assert qemu.state(instance) == power_state.PAUSED
    qemu.events.wait_for(instance.uuid, Transition.PAUSED)
    with pytest.raises(exception.InstanceInvalidState):
        qemu.driver.pause(instance)
    qemu.driver.unpause(instance)
    assert qemu.state(instance) == power_state.RUNNING
    qemu.events.wait_for(instance.uuid, Transition.RESUMED)


def test_suspend_saves_memory_and_resume_continues_without_reboot(qemu):
    instance = qemu.spawn()
    qemu.wait_for_boots(instance)
    qemu.driver.suspend(None, instance)
    assert qemu.state(instance) == power_state.SUSPENDED
    domain = qemu.raw.lookupByUUIDString(instance.uuid)
    assert domain.hasManagedSaveImage(0) and not domain.isActive()
    qemu.events.wait_for(instance.uuid, Transition.SUSPENDED)

    qemu.driver.resume(None, instance, [])
    assert qemu.state(instance) == power_state.RUNNING
    # Still the first boot: the guest went on from its saved memory. It
    # answers the power button, which it could not if it were frozen.
    qemu.driver.power_off(instance, timeout=60, retry_interval=5)
    assert POWER_BUTTON in qemu.console(instance)
    assert len(qemu.markers(instance)) == 1


# -- snapshot --------------------------------------------------------------
def test_snapshot_uploads_a_flat_qcow2_that_boots(qemu):
    instance = qemu.spawn()
    qemu.wait_for_boots(instance)
    tasks = factories.TaskStateRecorder()
    qemu.driver.snapshot(None, instance, 'snap-1', tasks, qemu.api)
    assert tasks.calls == [
        (contract.IMAGE_PENDING_UPLOAD, None),
        (contract.IMAGE_UPLOADING, contract.IMAGE_PENDING_UPLOAD)]
    assert qemu.api.uploads == {'snap-1': 'qcow2'}
    info = qemu_img_info(qemu.api.path('snap-1'))
    assert info['format'] == 'qcow2'
    assert 'backing-filename' not in info  # self-contained
    # The guest goes on running, not rebooted.
    assert qemu.state(instance) == power_state.RUNNING
    assert len(qemu.markers(instance)) == 1
    # And the snapshot is a bootable image.
    copy = qemu.spawn(image_id='snap-1')
    (marker,) = qemu.wait_for_boots(copy)
    assert copy.uuid in marker


# -- destroy, events, errors -----------------------------------------------
def test_destroy_removes_the_domain_and_the_instance_directory(qemu):
    instance = qemu.spawn()
    instance_dir = qemu.driver.instance_dir(instance.uuid)
    assert os.path.isdir(instance_dir)
    qemu.driver.destroy(None, instance, [])
    assert not os.path.exists(instance_dir)
    assert not qemu.driver.instance_exists(instance)
    with pytest.raises(libvirt.libvirtError):
        qemu.raw.lookupByUUIDString(instance.uuid)
    qemu.driver.destroy(None, instance, [])  # twice is harmless


def test_a_guest_stopped_behind_our_back_produces_a_lifecycle_event(qemu):
    instance = qemu.spawn()
    qemu.events.wait_for(instance.uuid, Transition.STARTED, BOOT_TIMEOUT)
    qemu.wait_for_boots(instance)
    qemu.events.clear()
    qemu.raw.lookupByUUIDString(instance.uuid).destroy()  # "virsh destroy"
    qemu.events.wait_for(instance.uuid, Transition.STOPPED)
    assert qemu.state(instance) == power_state.SHUTDOWN

    # The guest OS powering itself off is noticed the same way.
    qemu.driver.power_on(None, instance, [])
    qemu.wait_for_boots(instance, 2)
    qemu.events.clear()
    qemu.raw.lookupByUUIDString(instance.uuid).shutdown()  # power button
    qemu.events.wait_for(instance.uuid, Transition.STOPPED)
    assert qemu.state(instance) == power_state.SHUTDOWN


def test_errors_map_to_the_contract_exceptions(qemu):
    unknown = factories.make_instance()
    with pytest.raises(exception.InstanceNotFound):
        qemu.driver.get_info(unknown)
    with pytest.raises(exception.InstanceNotFound):
        qemu.driver.reboot(None, unknown, [], 'HARD')

    instance = qemu.spawn(image_id='image-deaf')
    qemu.driver.power_off(instance)
    with pytest.raises(exception.InstanceInvalidState):
        qemu.driver.pause(instance)
    with pytest.raises(exception.InstanceInvalidState):
        qemu.driver.resume(None, instance, [])
    # QEMU itself fails: its disk vanished behind our back.
    disk = os.path.join(qemu.driver.instance_dir(instance.uuid), 'disk')
    os.unlink(disk)
    with pytest.raises(exception.VirtDriverError) as err:
        qemu.driver.power_on(None, instance, [])
    assert disk in str(err.value)
    assert qemu.state(instance) == power_state.SHUTDOWN


# -- host ------------------------------------------------------------------
def test_host_resources_come_from_libvirt_and_qemu(qemu):
    (node,) = qemu.driver.get_available_nodes()
    idle = qemu.driver.get_available_resource(node)
    model, memory_mb, cpus = qemu.raw.getInfo()[:3]
    assert idle['vcpus'] == cpus == os.cpu_count()
    assert idle['memory_mb'] == memory_mb
    with open('/proc/meminfo') as f:
        total_kib = int(f.readline().split()[1])
    # libvirt adds up the NUMA nodes' memory, which a sandboxed kernel may
    # show as less than /proc/meminfo's total; never more.
    assert 0 < idle['memory_mb'] <= total_kib // 1024
    fs = os.statvfs(qemu.tmp)
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

    qemu.spawn(flavor=factories.make_flavor(vcpus=2, memory_mb=320))
    busy = qemu.driver.get_available_resource(node)
    assert busy['vcpus_used'] == idle['vcpus_used'] + 2
    assert busy['memory_mb_used'] == idle['memory_mb_used'] + 320


# -- connection ------------------------------------------------------------
def test_events_resume_by_themselves_after_libvirtd_restarts(qemu):
    instance = qemu.spawn()
    qemu.wait_for_boots(instance)
    before = qemu.driver.host.generation
    away = libvirtd_fixture.restart()
    # No driver call in between: the close callback made it reconnect.
    wait_until(lambda: qemu.driver.host.generation > before,
               'the driver to reconnect to libvirtd', timeout=30)
    qemu.events.clear()
    raw = libvirt.open(qemu.driver.host.uri)
    try:
        # The guest outlived the daemon; stopping it now is noticed.
        raw.lookupByUUIDString(instance.uuid).destroy()
    finally:
        raw.close()
    qemu.events.wait_for(instance.uuid, Transition.STOPPED)
    assert qemu.state(instance) == power_state.SHUTDOWN
    print(f'\nlibvirtd restart: {away:.1f}s')


def test_change_password_through_the_guest_agent(qemu):
    """An image with hw_qemu_guest_agent=yes gets the agent's channel;
    the test guest's stand-in agent prints what it is asked to set."""
    instance = qemu.instance('image-acpi')
    qemu.driver.spawn(None, instance, qemu.image(
        'image-acpi', properties={'hw_qemu_guest_agent': 'yes'}), [], None,
        {}, [])
    qemu.wait_for_boot(instance, 1)

    def password_set() -> bool:
        try:
            qemu.driver.set_admin_password(instance, 'n3w-Pass')
        except exception.VirtDriverError as e:
            # Just booted: its agent may not be listening yet.
            assert 'agent is not' in str(e), e
            return False
        return True
    wait_until(password_set, 'the guest agent to answer', timeout=30)
    sent = base64.b64encode(b'n3w-Pass').decode()
    wait_until(lambda: f'{PASSWORD} root {sent}' in qemu.console(instance),
               'the guest agent to be given the password', timeout=30)
    # Without the agent's channel the driver refuses before asking.
    plain = qemu.spawn()
    with pytest.raises(exception.DriverOperationNotSupported,
                       match='hw_qemu_guest_agent=yes'):
        qemu.driver.set_admin_password(plain, 's3cret')
