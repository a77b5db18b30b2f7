"""Resize on the same host, the libvirt driver against test:///default
(libvirt's in-process hypervisor; the disks are real, made by qemu-img):
what is kept, grown, refused and restored. Real QEMU guests booting with
the new sizes: test_qemu_resize.py.

Each step is called the way nova/compute/flows/resize.py does, with an
instance carrying the sizes the manager gives it at that step.
"""

from __future__ import annotations

import json
import os
import types

import pytest

from nova import exception
from nova.virt import power_state
from nova.virt.libvirt.driver import LibvirtDriver
from tests.functional.virt.conftest import TEST_HOST
from tests.functional.virt.qemu import qemu_img_info
from tests.unit.virt import factories
from tests.unit.virt.conftest import requires_qemu_img

pytestmark = requires_qemu_img

HOST = TEST_HOST
GiB, MiB = 1024 ** 3, 1024 ** 2
OLD = factories.make_flavor(swap=64)
BIG = factories.make_flavor(name='m1.big', vcpus=2, memory_mb=512,
                            root_gb=2, ephemeral_gb=1, swap=128)


@pytest.fixture
def env(libvirt_test_env):
    spawn = libvirt_test_env.spawn
    return types.SimpleNamespace(**{
        **vars(libvirt_test_env),
        'spawn': lambda flavor=OLD: spawn(flavor=flavor)})


def _sized(instance, flavor):
    """The instance as the manager hands it over once the flavor's sizes
    are its own (finish_migration: new; finish_revert_migration: old)."""
    for key in ('vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb', 'swap'):
        setattr(instance, key, flavor[key])
    instance.flavor = flavor
    return instance


def _resize(drv, instance, flavor, power_on=True):
    disk_info = drv.migrate_disk_and_power_off(None, instance, HOST, flavor,
                                               [])
    drv.finish_migration(None, {}, _sized(instance, flavor), disk_info, [],
                         {}, True, {}, power_on=power_on)


def _revert(drv, instance, flavor, power_on=True):
    drv.finish_revert_migration(None, _sized(instance, flavor), [], {},
                                power_on=power_on)


def _files(drv, instance):
    return set(os.listdir(drv.instance_dir(instance.uuid)))


def _sizes(env, instance):
    """(vCPUs, memory KiB, {disk file: virtual size}) as defined."""
    domain = env.raw.lookupByUUIDString(instance.uuid)
    _state, max_kib, _kib, vcpus, _cpu = domain.info()
    guest = env.driver.guest(instance)
    return vcpus, max_kib, {
        os.path.basename(path): qemu_img_info(path)['virtual-size']
        for path, _fmt in guest.file_disks()}


def _state(env, instance):
    return env.driver.get_info(instance).state


AT_REST = {'disk', 'disk.swap', 'libvirt.xml'}
OLD_SIZES = (1, 256 * 1024, {'disk': GiB, 'disk.swap': 64 * MiB})


def test_resize_grows_adds_and_revert_takes_it_all_back(env):
    drv = env.driver
    instance = env.spawn()
    assert _sizes(env, instance) == OLD_SIZES

    disk_info = drv.migrate_disk_and_power_off(None, instance, HOST, BIG, [],
                                               timeout=1)
    assert _state(env, instance) == power_state.SHUTDOWN
    kept = os.path.join(drv.instance_dir(instance.uuid), 'resize')
    assert set(os.listdir(kept)) == AT_REST
    drv.finish_migration(None, {}, _sized(instance, BIG), disk_info, [],
                         {}, True, {})
    assert _state(env, instance) == power_state.RUNNING
    assert _sizes(env, instance) == (2, 512 * 1024, {
        'disk': 2 * GiB, 'disk.eph0': GiB, 'disk.swap': 128 * MiB})
    assert _files(env.driver, instance) == AT_REST | {'disk.eph0', 'resize'}

    # A restarted nova-compute finds the resize in the instance directory.
    restarted = LibvirtDriver(image_api=None)
    restarted.init_host(HOST)
    try:
        _revert(restarted, instance, OLD)
    finally:
        restarted.cleanup_host(HOST)
    assert _state(env, instance) == power_state.RUNNING
    assert _sizes(env, instance) == OLD_SIZES
    assert _files(drv, instance) == AT_REST
    with pytest.raises(exception.VirtDriverError, match='nothing kept'):
        _revert(drv, instance, OLD)


def test_confirm_drops_what_was_kept_and_a_stopped_guest_stays_off(env):
    drv = env.driver
    instance = env.spawn()
    _resize(drv, instance, BIG, power_on=False)
    assert _state(env, instance) == power_state.SHUTDOWN
    drv.confirm_migration(None, {}, instance, [])
    assert _files(drv, instance) == AT_REST | {'disk.eph0'}
    assert _sizes(env, instance)[:2] == (2, 512 * 1024)
    drv.confirm_migration(None, {}, instance, [])  # again: nothing to do

    # Swap of another size is a new blank disk; no swap, no disk.
    _resize(drv, instance, factories.make_flavor(
        vcpus=2, memory_mb=512, root_gb=2, ephemeral_gb=1, swap=0))
    assert _sizes(env, instance)[2] == {'disk': 2 * GiB, 'disk.eph0': GiB}
    assert 'disk.swap' not in _files(drv, instance)
    _revert(drv, instance, BIG)
    assert _sizes(env, instance)[2]['disk.swap'] == 128 * MiB


def test_shrinking_disks_are_refused_before_the_guest_stops(env):
    drv = env.driver
    instance = env.spawn(BIG)
    for smaller in (factories.make_flavor(root_gb=1, ephemeral_gb=1),
                    factories.make_flavor(root_gb=2, ephemeral_gb=0)):
        with pytest.raises(exception.Invalid, match='cannot shrink'):
            drv.migrate_disk_and_power_off(None, instance, HOST, smaller,
                                           [])
    assert _state(env, instance) == power_state.RUNNING
    assert 'resize' not in _files(drv, instance)
    # A root_gb of 0 (the image's size) keeps the root disk as it is.
    _resize(drv, instance, factories.make_flavor(root_gb=0, ephemeral_gb=1))
    assert _sizes(env, instance)[2] == {'disk': 2 * GiB, 'disk.eph0': GiB}


def test_another_host_gets_an_export_then_revert_or_confirm(env):
    """The source's half of a move to another host (cold_migration.py):
    the destination's half needs a second libvirtd (test_libvirt_moves)."""
    drv = env.driver
    instance = env.spawn()
    disk_info = json.loads(drv.migrate_disk_and_power_off(
        None, instance, 'compute-2', BIG, []))
    assert _state(env, instance) == power_state.SHUTDOWN
    assert _files(drv, instance) == AT_REST | {'migration'}
    exported = os.path.join(drv.instance_dir(instance.uuid), 'migration')
    assert set(os.listdir(exported)) == {'disk', 'disk.swap'}
    # Standalone copies: the destination has its own image cache or none.
    info = qemu_img_info(os.path.join(exported, 'disk'))
    assert 'backing-filename' not in info
    assert disk_info['source_host'] == HOST
    assert disk_info['disks'] == [['disk', 'qcow2'], ['disk.swap', 'qcow2']]
    assert disk_info['travel'] == []
    # Offered to the destination (test:/// pools do not list real files).
    assert env.raw.storagePoolLookupByName(
        f'nova-outgoing-{instance.uuid}').isActive()
    # A second move of a guest awaiting confirmation is refused.
    with pytest.raises(exception.InstanceInvalidState, match='migrated'):
        drv.migrate_disk_and_power_off(None, instance, 'compute-2', BIG, [])

    drv.finish_revert_migration(None, instance, [], {}, power_on=True)
    assert _state(env, instance) == power_state.RUNNING
    assert _files(drv, instance) == AT_REST
    assert f'nova-outgoing-{instance.uuid}' not in \
        env.raw.listStoragePools()

    drv.migrate_disk_and_power_off(None, instance, 'compute-2', BIG, [])
    drv.confirm_migration(None, {}, instance, [])
    assert not drv.instance_exists(instance)
    assert not os.path.exists(drv.instance_dir(instance.uuid))


def test_a_destination_that_sees_the_source_directory_refuses(env):
    drv = env.driver
    instance = env.spawn()
    with pytest.raises(exception.VirtDriverError, match='already exists'):
        drv.finish_migration(None, {}, instance, json.dumps({
            'source_host': 'compute-2', 'disks': [], 'travel': []}), [],
            {}, True, {})
    # Nothing of the guest was touched.
    assert _state(env, instance) == power_state.RUNNING
    assert _files(drv, instance) == AT_REST


def test_busy_guests_are_refused(env):
    drv = env.driver
    instance = env.spawn()
    _resize(drv, instance, BIG)
    with pytest.raises(exception.InstanceInvalidState,
                       match='awaiting confirmation'):
        drv.migrate_disk_and_power_off(None, instance, HOST, BIG, [])
    drv.confirm_migration(None, {}, instance, [])

    drv.rescue(None, instance, [], factories.make_image_meta(), None)
    with pytest.raises(exception.InstanceInvalidState, match='rescued'):
        drv.migrate_disk_and_power_off(None, instance, HOST, BIG, [])
    assert 'resize' not in _files(drv, instance)


def test_a_failed_finish_puts_the_old_guest_back(env):
    drv = env.driver
    instance = env.spawn()
    root = os.path.join(drv.instance_dir(instance.uuid), 'disk')
    inode = os.stat(root).st_ino
    disk_info = drv.migrate_disk_and_power_off(None, instance, HOST, BIG, [])
    # Gone behind the driver's back: finish_migration fails on it after
    # it grew the root disk and made the ephemeral one.
    os.unlink(os.path.join(drv.instance_dir(instance.uuid), 'disk.swap'))
    with pytest.raises(exception.VirtDriverError, match='No such file'):
        drv.finish_migration(None, {}, _sized(instance, BIG), disk_info, [],
                             {}, True, {})
    # The old definition on the kept copies of the old disks, stopped; the
    # manager records the server in ERROR and a hard reboot starts it.
    assert _state(env, instance) == power_state.SHUTDOWN
    assert _sizes(env, instance) == OLD_SIZES
    assert os.stat(root).st_ino != inode
    assert _files(drv, instance) == AT_REST
    drv.reboot(None, instance, [], 'HARD')
    assert _state(env, instance) == power_state.RUNNING
