"""Resize on the same host of a real QEMU guest (TCG), step by step as
nova/compute/flows/resize.py calls the driver.

One guest goes through it all so that it boots four times only: resized
(it boots with a second disk, more memory and vCPUs), reverted (it boots
as before, from its kept disk), a resize that fails half-way (the old
guest is put back), then resized while stopped and confirmed. What each
step leaves is checked through libvirt (the domain's vCPUs and memory)
and qemu-img (the disks' virtual sizes).
Bookkeeping cases without QEMU: test_libvirt_resize.py.
"""

from __future__ import annotations

import os
import time

import pytest

from nova import exception
from nova.virt import power_state
from tests.functional.virt.qemu import HOST
from tests.functional.virt.qemu import POWER_BUTTON
from tests.functional.virt.qemu import qemu_img_info
from tests.unit.virt import factories

GiB = 1024 ** 3
OLD = factories.make_flavor()
BIG = factories.make_flavor(name='m1.big', vcpus=2, memory_mb=512,
                            root_gb=2, ephemeral_gb=1)
AT_REST = {'disk', 'console.log', 'libvirt.xml'}


def _sized(instance, flavor):
    """The instance as the manager hands it to the driver once the
    flavor's sizes are its own."""
    for key in ('vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb', 'swap'):
        setattr(instance, key, flavor[key])
    instance.flavor = flavor
    return instance


def _defined(qemu, instance):
    """(vCPUs, memory MiB, {disk file: virtual size}) of the domain."""
    _state, max_kib, _kib, vcpus, _cpu = qemu.raw.lookupByUUIDString(
        instance.uuid).info()
    disks = {os.path.basename(path): qemu_img_info(path)['virtual-size']
             for _dev, path in qemu.domain_disks(instance)}
    return vcpus, max_kib // 1024, disks


def _stop_for_resize(qemu, instance, flavor, dest=HOST):
    # A clean shutdown, as the manager asks: [compute] shutdown_timeout.
    return qemu.driver.migrate_disk_and_power_off(
        None, instance, dest, flavor, [], timeout=60, retry_interval=2)


def test_resize_revert_failure_and_confirm_of_a_qemu_guest(qemu):
    drv = qemu.driver
    instance = qemu.spawn(flavor=OLD)
    assert qemu.wait_for_boot(instance, 1).disks == {'vda': 'NOVA-ACPI'}
    root = os.path.join(qemu.instance_dir(instance), 'disk')

    # Resize: stopped cleanly, then booted with the new sizes.
    started = time.monotonic()
    disk_info = _stop_for_resize(qemu, instance, BIG)
    assert qemu.state(instance) == power_state.SHUTDOWN
    assert POWER_BUTTON in qemu.console(instance)
    drv.finish_migration(None, {}, _sized(instance, BIG), disk_info, [],
                         {}, True, {})
    resized = qemu.wait_for_boot(instance, 2)
    resize_seconds = time.monotonic() - started
    assert resized.disks == {'vda': 'NOVA-ACPI', 'vdb': '-'}
    assert _defined(qemu, instance) == (
        2, 512, {'disk': 2 * GiB, 'disk.eph0': GiB})
    # Still an overlay of the cached image.
    assert qemu_img_info(root)['full-backing-filename'] == \
        qemu.base_of('image-acpi')
    assert qemu.files(instance) == AT_REST | {'disk.eph0', 'resize'}

    # Revert: the kept disk and definition, booted again.
    started = time.monotonic()
    drv.finish_revert_migration(None, _sized(instance, OLD), [], {})
    reverted = qemu.wait_for_boot(instance, 3)
    revert_seconds = time.monotonic() - started
    assert reverted.disks == {'vda': 'NOVA-ACPI'}
    assert _defined(qemu, instance) == (1, 256, {'disk': GiB})
    assert qemu.files(instance) == AT_REST

    # The root disk vanishes mid-resize: the old guest comes back (its
    # disk from the kept copy), stopped, with nothing kept.
    disk_info = _stop_for_resize(qemu, instance, BIG)
    os.unlink(root)
    with pytest.raises(exception.VirtDriverError, match='No such file'):
        drv.finish_migration(None, {}, _sized(instance, BIG), disk_info,
                             [], {}, True, {})
    assert qemu.state(instance) == power_state.SHUTDOWN
    assert _defined(qemu, instance) == (1, 256, {'disk': GiB})
    assert qemu.files(instance) == AT_REST

    # A stopped server's resize stays stopped; confirm drops the copy.
    disk_info = _stop_for_resize(qemu, _sized(instance, OLD), BIG)
    drv.finish_migration(None, {}, _sized(instance, BIG), disk_info, [],
                         {}, True, {}, power_on=False)
    assert qemu.state(instance) == power_state.SHUTDOWN
    drv.confirm_migration(None, {}, instance, [])
    assert qemu.files(instance) == AT_REST | {'disk.eph0'}
    drv.power_on(None, instance, [])
    assert qemu.wait_for_boot(instance, 4).disks == {'vda': 'NOVA-ACPI',
                                                     'vdb': '-'}
    assert _defined(qemu, instance) == (
        2, 512, {'disk': 2 * GiB, 'disk.eph0': GiB})
    print(f'\nresize to marker: {resize_seconds:.1f}s; revert to marker: '
          f'{revert_seconds:.1f}s')
