"""The libvirt driver against libvirt itself: the test:///default driver.

test:///default is libvirt's in-process fake hypervisor: no daemon, real
libvirt API, domain XML parsing, states and events. Every connection in
this process shares its state, so a raw connection here plays an operator
acting behind the driver's back. What it cannot do (run QEMU, write the
serial log) is left to the real-QEMU end-to-end test.
"""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET

import libvirt
import pytest

from nova import exception
from nova.virt import contract
from nova.virt import power_state
from nova.virt.event import Transition
from nova.virt.libvirt import config
from nova.virt.libvirt.driver import LibvirtDriver
from tests.unit.virt import factories
from tests.unit.virt.conftest import requires_qemu_img

pytestmark = requires_qemu_img

T = Transition


@pytest.fixture
def env(libvirt_test_env):
    return libvirt_test_env


def state(env, instance):
    return env.driver.get_info(instance).state


def test_spawn_defines_and_starts_a_domain_from_our_xml(env):
    instance = env.spawn(network_info=factories.make_network_info())
    domain = env.raw.lookupByUUIDString(instance.uuid)
    assert domain.name() == instance.name
    assert domain.isActive() and domain.isPersistent()
    xml = ET.fromstring(domain.XMLDesc(0))
    assert xml.get('type') == 'qemu'
    meta = xml.find('metadata/nova:instance', {'nova': config.NAMESPACE})
    assert meta.findtext(f'{{{config.NAMESPACE}}}uuid') == instance.uuid
    disk = xml.find('devices/disk/source').get('file')
    assert disk == os.path.join(env.driver.instance_dir(instance.uuid),
                                'disk')
    info = json.loads(subprocess.run(
        ['qemu-img', 'info', '--output=json', disk], check=True,
        capture_output=True, text=True).stdout)
    assert info['format'] == 'qcow2' and info['backing-filename']
    assert xml.find('devices/interface/source').get('bridge') == 'br-test'
    saved = os.path.join(env.driver.instance_dir(instance.uuid),
                         'libvirt.xml')
    assert ET.parse(saved).getroot().findtext('uuid') == instance.uuid
    assert env.driver.get_info(instance) == contract.InstanceInfo(
        power_state.RUNNING, instance.name)
    assert instance.uuid in env.driver.list_instance_uuids()
    assert env.events.wait_for(instance.uuid, T.STARTED)


def test_spawn_of_an_existing_guest_is_refused(env):
    instance = env.spawn()
    with pytest.raises(exception.InstanceExists):
        env.driver.spawn(None, instance, factories.make_image_meta(), [],
                         None, {}, [])
    assert state(env, instance) == power_state.RUNNING


def test_failed_spawn_leaves_nothing_behind(env):
    instance = factories.make_instance()
    with pytest.raises(exception.ImageNotFound):
        env.driver.spawn(None, instance,
                         factories.make_image_meta(id='missing'), [], None,
                         {}, [])
    assert not env.driver.instance_exists(instance)
    assert not os.path.exists(env.driver.instance_dir(instance.uuid))


def test_power_off_and_on(env):
    instance = env.spawn()
    env.driver.power_off(instance, timeout=5, retry_interval=1)
    assert state(env, instance) == power_state.SHUTDOWN
    env.driver.power_off(instance)  # already off: fine
    env.events.wait_for(instance.uuid, T.STOPPED)
    env.driver.power_on(None, instance, [])
    env.driver.power_on(None, instance, [])  # already on: fine
    assert state(env, instance) == power_state.RUNNING
    env.driver.power_off(instance, timeout=0)  # hard
    assert state(env, instance) == power_state.SHUTDOWN


def test_pause_unpause(env):
    instance = env.spawn()
    env.driver.pause(instance)
    assert state(env, instance) == power_state.PAUSED
    env.events.wait_for(instance.uuid, T.PAUSED)
    with pytest.raises(exception.InstanceInvalidState):
        env.driver.pause(instance)
    env.driver.unpause(instance)
    assert state(env, instance) == power_state.RUNNING
    env.events.wait_for(instance.uuid, T.RESUMED)
    with pytest.raises(exception.InstanceInvalidState):
        env.driver.unpause(instance)


def test_suspend_resume_through_managed_save(env):
    instance = env.spawn()
    env.driver.suspend(None, instance)
    assert state(env, instance) == power_state.SUSPENDED
    assert env.raw.lookupByUUIDString(instance.uuid).hasManagedSaveImage(0)
    env.events.wait_for(instance.uuid, T.SUSPENDED)
    env.driver.resume(None, instance, [])
    assert state(env, instance) == power_state.RUNNING
    with pytest.raises(exception.InstanceInvalidState):
        env.driver.resume(None, instance, [])


def test_power_off_of_a_suspended_guest_forgets_its_memory(env):
    instance = env.spawn()
    env.driver.suspend(None, instance)
    env.driver.power_off(instance)
    assert state(env, instance) == power_state.SHUTDOWN


@pytest.mark.parametrize('reboot_type', ['SOFT', 'HARD'])
def test_reboot(env, reboot_type):
    instance = env.spawn()
    env.driver.reboot(None, instance, [], reboot_type)
    assert state(env, instance) == power_state.RUNNING
    env.events.wait_for(instance.uuid, T.STOPPED)


@pytest.mark.parametrize('prepare', ['power_off', 'pause', 'suspend'])
def test_hard_reboot_from_any_state(env, prepare):
    instance = env.spawn()
    if prepare == 'suspend':
        env.driver.suspend(None, instance)
    else:
        getattr(env.driver, prepare)(instance)
    env.driver.reboot(None, instance, [], 'SOFT')  # falls back to hard
    assert state(env, instance) == power_state.RUNNING


def test_destroy_and_destroy_again(env):
    instance = env.spawn()
    instance_dir = env.driver.instance_dir(instance.uuid)
    env.driver.destroy(None, instance, [])
    with pytest.raises(libvirt.libvirtError):
        env.raw.lookupByUUIDString(instance.uuid)
    assert not os.path.exists(instance_dir)
    env.driver.destroy(None, instance, [])
    with pytest.raises(exception.InstanceNotFound):
        env.driver.get_info(instance)
    assert instance.uuid not in env.driver.list_instance_uuids()


def test_destroy_keeping_disks(env):
    instance = env.spawn()
    env.driver.suspend(None, instance)  # a managed save does not block it
    env.driver.destroy(None, instance, [], destroy_disks=False)
    assert not env.driver.instance_exists(instance)
    assert os.path.exists(os.path.join(
        env.driver.instance_dir(instance.uuid), 'disk'))


def test_missing_domain_maps_to_instance_not_found(env):
    ghost = factories.make_instance()
    for call in (lambda: env.driver.get_info(ghost),
                 lambda: env.driver.power_on(None, ghost, []),
                 lambda: env.driver.pause(ghost),
                 lambda: env.driver.reboot(None, ghost, [], 'HARD'),
                 lambda: env.driver.get_console_output(None, ghost)):
        with pytest.raises(exception.InstanceNotFound):
            call()
    assert not env.driver.instance_exists(ghost)


def test_stop_behind_the_drivers_back_is_reported(env):
    instance = env.spawn()
    env.raw.lookupByUUIDString(instance.uuid).destroy()
    event = env.events.wait_for(instance.uuid, T.STOPPED)
    assert event.transition.power_state == power_state.SHUTDOWN
    assert state(env, instance) == power_state.SHUTDOWN


def test_reconnects_after_the_connection_is_closed(env):
    instance = env.spawn()
    env.events.wait_for(instance.uuid, T.STARTED)  # spawn's, delivered
    env.driver.host.get_connection().close()
    assert instance.uuid in env.driver.list_instance_uuids()
    assert state(env, instance) == power_state.RUNNING
    # Events flow on the new connection, once each (the old connection
    # still holds its callback and must not double them).
    env.events.clear()
    env.raw.lookupByUUIDString(instance.uuid).destroy()
    env.events.wait_for(instance.uuid, T.STOPPED)
    env.raw.lookupByUUIDString(instance.uuid).create()
    env.events.wait_for(instance.uuid, T.STARTED)
    assert env.events.transitions(instance.uuid) == [T.STOPPED, T.STARTED]


def test_host_resources_are_plausible(env):
    instance = env.spawn(flavor=factories.make_flavor(vcpus=2,
                                                      memory_mb=512))
    (node,) = env.driver.get_available_nodes(refresh=True)
    res = env.driver.get_available_resource(node)
    assert res['hypervisor_hostname'] == node
    assert res['vcpus'] >= 1 and res['memory_mb'] > 0
    assert res['vcpus_used'] >= instance.vcpus
    assert res['memory_mb_used'] >= instance.memory_mb
    assert 0 < res['local_gb'] and 0 <= res['local_gb_used'] <= \
        res['local_gb']
    assert res['disk_available_least'] <= res['local_gb']
    assert isinstance(res['hypervisor_version'], int)
    assert res['hypervisor_type']
    assert 'arch' in json.loads(res['cpu_info'])
    with pytest.raises(exception.ComputeNodeNotFound):
        env.driver.get_available_resource('not-' + node)


def test_console_output(env):
    instance = env.spawn()
    # The test driver runs no QEMU, so nothing writes the serial log.
    assert env.driver.get_console_output(None, instance) == ''
    log = env.driver.console_log_path(instance.uuid)
    with open(log, 'w') as f:
        f.write('Booting...\nlogin: ')
    assert env.driver.get_console_output(None, instance) == \
        'Booting...\nlogin: '


def test_vnc_console_needs_a_vnc_server(env):
    instance = env.spawn()
    with pytest.raises(exception.ConsoleTypeUnavailable):
        env.driver.get_vnc_console(None, instance)


def test_trigger_crash_dump(env):
    instance = env.spawn()
    env.driver.trigger_crash_dump(instance)
    env.driver.power_off(instance)
    with pytest.raises(exception.InstanceInvalidState):
        env.driver.trigger_crash_dump(instance)


@pytest.mark.parametrize('prepare', [None, 'pause', 'power_off'])
def test_snapshot_uploads_the_root_disk(env, prepare):
    instance = env.spawn()
    if prepare:
        getattr(env.driver, prepare)(instance)
    before = state(env, instance)
    tasks = factories.TaskStateRecorder()
    env.driver.snapshot(None, instance, 'snap-1', tasks, env.api)
    assert env.api.uploads == {'snap-1': 'qcow2'}
    info = json.loads(subprocess.run(
        ['qemu-img', 'info', '--output=json', env.api.path('snap-1')],
        check=True, capture_output=True, text=True).stdout)
    assert info['format'] == 'qcow2' and 'backing-filename' not in info
    assert tasks.calls == [
        (contract.IMAGE_PENDING_UPLOAD, None),
        (contract.IMAGE_UPLOADING, contract.IMAGE_PENDING_UPLOAD)]
    assert state(env, instance) == before


def test_unsupported_operations_say_so(env):
    instance = env.spawn()
    with pytest.raises(exception.DriverOperationNotSupported,
                       match='needs the QEMU guest agent'):
        env.driver.set_admin_password(instance, 'secret')
    assert env.driver.supports('live_migration')


def test_init_host_fails_clearly_without_libvirt(flags, tmp_path):
    flags('libvirt', connection_uri='test:///nonexistent/file.xml',
          instances_path=str(tmp_path))
    with pytest.raises(exception.ComputeDriverLoadFailed,
                       match='cannot connect to libvirt'):
        LibvirtDriver().init_host('compute-1')


# -- rescue and rebuild: the definitions they make --------------------------
def _disks(env, instance):
    """(device, bus, target dev, source file) of the defined disks, and
    the boot order."""
    xml = ET.fromstring(env.raw.lookupByUUIDString(instance.uuid).XMLDesc(0))
    disks = [(d.get('device'), d.find('target').get('bus'),
              d.find('target').get('dev'), d.find('source').get('file'))
             for d in xml.iterfind('devices/disk')]
    return disks, [b.get('dev') for b in xml.iterfind('os/boot')]


def test_rescue_from_an_iso_boots_the_cdrom_with_the_guest_disks_after(env):
    iso = env.tmp / 'rescue.iso'
    iso.write_bytes(b'\0' * 1024 * 1024)
    env.api.add('rescue-iso', str(iso))
    network_info = factories.make_network_info()
    instance = env.spawn(network_info=network_info,
                         flavor=factories.make_flavor(ephemeral_gb=1))
    instance_dir = env.driver.instance_dir(instance.uuid)
    before = env.raw.lookupByUUIDString(instance.uuid).XMLDesc(
        libvirt.VIR_DOMAIN_XML_INACTIVE)

    env.driver.rescue(None, instance, network_info, factories.make_image_meta(
        id='rescue-iso', disk_format='iso'), None)
    disks, boot = _disks(env, instance)
    assert disks == [
        ('cdrom', 'ide', 'hda', env.driver.image_cache().path_for(
            'rescue-iso')),
        ('disk', 'virtio', 'vda', os.path.join(instance_dir, 'disk')),
        ('disk', 'virtio', 'vdb', os.path.join(instance_dir, 'disk.eph0'))]
    assert boot == ['cdrom', 'hd']
    xml = ET.fromstring(env.raw.lookupByUUIDString(instance.uuid).XMLDesc(0))
    assert xml.find('devices/interface/mac').get('address') == \
        network_info[0]['address']
    assert state(env, instance) == power_state.RUNNING
    assert 'disk.rescue' not in os.listdir(instance_dir)  # the ISO is it

    env.driver.unrescue(None, instance)
    assert env.raw.lookupByUUIDString(instance.uuid).XMLDesc(
        libvirt.VIR_DOMAIN_XML_INACTIVE) == before
    assert 'unrescue.xml' not in os.listdir(instance_dir)
    assert state(env, instance) == power_state.RUNNING


def test_rebuild_defines_the_new_image_properties(env):
    env.api.add('image-sata', env.api.path('image-tiny'))
    instance = env.spawn(flavor=factories.make_flavor(ephemeral_gb=1))
    instance_dir = env.driver.instance_dir(instance.uuid)
    env.driver.rebuild(None, instance, factories.make_image_meta(
        id='image-sata', properties={'hw_disk_bus': 'sata'}), [], None, [])
    disks, _ = _disks(env, instance)
    assert disks == [
        ('disk', 'sata', 'sda', os.path.join(instance_dir, 'disk')),
        ('disk', 'sata', 'sdb', os.path.join(instance_dir, 'disk.eph0'))]
    saved = ET.parse(os.path.join(instance_dir, 'libvirt.xml')).getroot()
    assert saved.find('devices/disk/target').get('bus') == 'sata'
    assert state(env, instance) == power_state.RUNNING


def test_rebuild_keeps_the_ephemeral_disk_only_when_told_to(env):
    instance = env.spawn(flavor=factories.make_flavor(ephemeral_gb=1))
    ephemeral = os.path.join(env.driver.instance_dir(instance.uuid),
                             'disk.eph0')
    with open(ephemeral, 'ab') as f:  # the guest's data, as far as we know
        f.write(b'data')
    grown = os.path.getsize(ephemeral)
    env.driver.rebuild(None, instance, factories.make_image_meta(), [], None,
                       [], preserve_ephemeral=True)
    assert os.path.getsize(ephemeral) == grown
    env.driver.rebuild(None, instance, factories.make_image_meta(), [], None,
                       [])
    assert os.path.getsize(ephemeral) < grown  # blank again


@pytest.mark.parametrize('end', ['stop-start', 'SOFT', 'HARD', 'rebuild'])
def test_what_the_manager_records_active_ends_a_rescue(env, end):
    """Start after a stop while rescued, a reboot and a rebuild all end
    with the server ACTIVE: the guest is back on its own disks."""
    instance = env.spawn()
    instance_dir = env.driver.instance_dir(instance.uuid)
    env.driver.rescue(None, instance, [], factories.make_image_meta(), None)
    if end == 'stop-start':
        env.driver.power_off(instance)
        env.driver.power_on(None, instance, [])
    elif end == 'rebuild':
        env.driver.rebuild(None, instance, factories.make_image_meta(), [],
                           None, [])
    else:
        env.driver.reboot(None, instance, [], end)
    disks, _ = _disks(env, instance)
    assert disks == [('disk', 'virtio', 'vda',
                      os.path.join(instance_dir, 'disk'))]
    assert sorted(os.listdir(instance_dir)) == ['disk', 'libvirt.xml']
    assert state(env, instance) == power_state.RUNNING
    with pytest.raises(exception.InstanceInvalidState):
        env.driver.unrescue(None, instance)
