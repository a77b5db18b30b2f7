"""Rescue, unrescue and rebuild of real QEMU guests (TCG).

The guests say on every boot which disks they see and the label of each
(tests/functional/virt/qemu.py): ``image-acpi`` is labelled NOVA-ACPI
and ``image-deaf`` NOVA-DEAF, so a console tells which image a guest
booted from and which disks it was given. What the driver leaves on the
host is checked too: the domain definition and the instance directory.
"""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET

import pytest

from nova import exception
from nova.virt import power_state
from nova.virt.libvirt import config
from tests.functional.virt.qemu import MARKER
from tests.functional.virt.qemu import qemu_img_info
from tests.unit.virt import factories

GiB = 1024 ** 3
# What an instance directory holds when the guest is neither rescued nor
# being rebuilt.
AT_REST = {'disk', 'console.log', 'libvirt.xml'}


def _junk_kernel(qemu) -> dict:
    """image-deaf booted with a "kernel" QEMU refuses to load: the image
    is fine until QEMU starts, so what fails is the start itself."""
    junk = qemu.tmp / 'junk-kernel'
    junk.write_bytes(b'not a kernel\n' * 100)
    qemu.api.add('junk-kernel', str(junk))
    return qemu.image('image-deaf', properties={'kernel_id': 'junk-kernel'})


def _image_of_domain(qemu, instance) -> str:
    domain = ET.fromstring(qemu.raw.lookupByUUIDString(instance.uuid)
                           .XMLDesc(0))
    return domain.find('metadata/nova:instance/nova:image',
                       {'nova': config.NAMESPACE}).get('id')


# -- rescue ----------------------------------------------------------------
def test_rescue_boots_the_rescue_image_with_the_guest_disk_second(qemu):
    instance = qemu.spawn()
    assert qemu.wait_for_boot(instance, 1).disks == {'vda': 'NOVA-ACPI'}
    instance_dir = qemu.instance_dir(instance)
    disk = os.path.join(instance_dir, 'disk')
    rescue_disk = os.path.join(instance_dir, 'disk.rescue')
    inode = os.stat(disk).st_ino

    started = time.monotonic()
    qemu.driver.rescue(None, instance, [], qemu.image('image-deaf'), 'pw')
    rescued = qemu.wait_for_boot(instance, 2)
    rescue_seconds = time.monotonic() - started
    assert rescued.marker == f'{MARKER} {instance.uuid} acpi=off'
    assert rescued.disks == {'vda': 'NOVA-DEAF', 'vdb': 'NOVA-ACPI'}
    assert qemu.domain_disks(instance) == [('vda', rescue_disk),
                                           ('vdb', disk)]
    assert qemu_img_info(rescue_disk)['full-backing-filename'] == \
        qemu.base_of('image-deaf')
    # The guest's own disk is the same file, on the same image.
    assert os.stat(disk).st_ino == inode
    assert qemu_img_info(disk)['full-backing-filename'] == \
        qemu.base_of('image-acpi')
    assert qemu.files(instance) == AT_REST | {'disk.rescue',
                                              'unrescue.xml'}
    assert qemu.state(instance) == power_state.RUNNING
    with pytest.raises(exception.InstanceInvalidState):
        qemu.driver.rescue(None, instance, [], qemu.image('image-deaf'),
                           None)

    # nova-compute restarts: the new driver knows the rescue from the
    # instance directory alone.
    restarted = qemu.new_driver()
    started = time.monotonic()
    restarted.unrescue(None, instance)
    unrescued = qemu.wait_for_boot(instance, 3)
    unrescue_seconds = time.monotonic() - started
    assert unrescued.marker == f'{MARKER} {instance.uuid} acpi=on'
    assert unrescued.disks == {'vda': 'NOVA-ACPI'}
    assert qemu.domain_disks(instance) == [('vda', disk)]
    assert os.stat(disk).st_ino == inode
    assert qemu.files(instance) == AT_REST
    with pytest.raises(exception.InstanceInvalidState):
        restarted.unrescue(None, instance)
    print(f'\nrescue to marker: {rescue_seconds:.1f}s; unrescue (new '
          f'driver) to marker: {unrescue_seconds:.1f}s')


def test_a_rescue_that_cannot_be_done_leaves_the_guest_as_it_was(qemu):
    instance = qemu.spawn()
    qemu.wait_for_boots(instance, 1)
    with pytest.raises(exception.ImageNotFound):
        qemu.driver.rescue(None, instance, [], qemu.image('image-missing'),
                           None)
    assert qemu.files(instance) == AT_REST
    assert qemu.state(instance) == power_state.RUNNING
    with pytest.raises(exception.InstanceInvalidState):
        qemu.driver.unrescue(None, instance)  # it is not rescued

    # QEMU fails to start the rescue domain: the guest is put back and
    # started again from its own disk.
    with pytest.raises(exception.VirtDriverError):
        qemu.driver.rescue(None, instance, [], _junk_kernel(qemu), None)
    again = qemu.wait_for_boot(instance, 2)
    assert again.marker.endswith('acpi=on')
    assert again.disks == {'vda': 'NOVA-ACPI'}
    assert qemu.files(instance) == AT_REST
    assert _image_of_domain(qemu, instance) == 'image-acpi'

    # A suspended guest's saved memory expects its own disks: refused.
    qemu.driver.suspend(None, instance)
    with pytest.raises(exception.InstanceInvalidState,
                       match='suspended'):
        qemu.driver.rescue(None, instance, [], qemu.image('image-deaf'),
                           None)
    assert qemu.state(instance) == power_state.SUSPENDED
    assert qemu.files(instance) == AT_REST


def test_destroying_a_rescued_guest_removes_the_rescue(qemu):
    gone, kept = qemu.spawn(), qemu.spawn()
    for instance in (gone, kept):
        qemu.driver.rescue(None, instance, [], qemu.image('image-deaf'),
                           None)
        assert 'disk.rescue' in qemu.files(instance)
    qemu.driver.destroy(None, gone, [])
    assert not qemu.driver.instance_exists(gone)
    assert not os.path.exists(qemu.instance_dir(gone))
    # Keeping the disks (a guest moving away) keeps the guest's own only.
    qemu.driver.destroy(None, kept, [], destroy_disks=False)
    assert not qemu.driver.instance_exists(kept)
    assert qemu.files(kept) == AT_REST


# -- rebuild ---------------------------------------------------------------
def test_rebuild_boots_a_fresh_overlay_of_the_new_image(qemu):
    instance = qemu.spawn(flavor=factories.make_flavor(ephemeral_gb=1))
    assert qemu.wait_for_boot(instance, 1).disks == {'vda': 'NOVA-ACPI',
                                                     'vdb': '-'}
    disk = os.path.join(qemu.instance_dir(instance), 'disk')
    ephemeral = os.path.join(qemu.instance_dir(instance), 'disk.eph0')
    old_root, old_ephemeral = os.stat(disk).st_ino, os.stat(ephemeral).st_ino

    started = time.monotonic()
    qemu.driver.rebuild(None, instance, qemu.image('image-deaf'), [], 'pw',
                        [], preserve_ephemeral=True)
    rebuilt = qemu.wait_for_boot(instance, 2)
    rebuild_seconds = time.monotonic() - started
    assert rebuilt.marker == f'{MARKER} {instance.uuid} acpi=off'
    assert rebuilt.disks == {'vda': 'NOVA-DEAF', 'vdb': '-'}
    info = qemu_img_info(disk)
    assert info['full-backing-filename'] == qemu.base_of('image-deaf')
    assert info['virtual-size'] == 1 * GiB  # still the flavor's root_gb
    assert os.stat(disk).st_ino != old_root  # the old overlay is gone
    assert os.stat(ephemeral).st_ino == old_ephemeral
    assert qemu.files(instance) == AT_REST | {'disk.eph0'}
    assert _image_of_domain(qemu, instance) == 'image-deaf'
    assert qemu.state(instance) == power_state.RUNNING
    print(f'\nrebuild to marker: {rebuild_seconds:.1f}s')


def test_a_failed_rebuild_leaves_a_defined_state(qemu):
    instance = qemu.spawn()
    qemu.wait_for_boots(instance, 1)
    disk = os.path.join(qemu.instance_dir(instance), 'disk')
    inode = os.stat(disk).st_ino

    # The image cannot be had, or is refused: the guest is not touched.
    with pytest.raises(exception.ImageNotFound):
        qemu.driver.rebuild(None, instance, qemu.image('image-missing'), [],
                            None, [])
    with pytest.raises(exception.ImageUnacceptable):
        qemu.driver.rebuild(None, instance, qemu.image(
            'image-deaf', properties={'hw_disk_bus': 'floppy'}), [], None,
            [])
    assert qemu.state(instance) == power_state.RUNNING
    assert os.stat(disk).st_ino == inode
    assert qemu.files(instance) == AT_REST
    assert len(qemu.markers(instance)) == 1

    # QEMU cannot start the new definition: the guest is stopped, fully
    # defined on its new disk, and nothing is left over.
    with pytest.raises(exception.VirtDriverError):
        qemu.driver.rebuild(None, instance, _junk_kernel(qemu), [], None,
                            [])
    assert qemu.state(instance) == power_state.SHUTDOWN
    assert qemu.files(instance) == AT_REST
    assert _image_of_domain(qemu, instance) == 'image-deaf'

    # From there another rebuild (what a user does with a server in
    # ERROR) gives a working guest.
    qemu.driver.rebuild(None, instance, qemu.image('image-acpi'), [], None,
                        [])
    assert qemu.wait_for_boot(instance, 2).disks == {'vda': 'NOVA-ACPI'}
    assert qemu.state(instance) == power_state.RUNNING
