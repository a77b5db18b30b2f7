"""Resize on the same host: the cold-migration contract
(nova.virt.migration) with the destination being this host.

    migrate_disk_and_power_off  stop the guest; keep its definition and a
                                copy of each of its disks in ``resize/``
    finish_migration            grow the disks, redefine the domain with the
                                new sizes, start it (``power_on``)
    confirm_migration           drop ``resize/``
    finish_revert_migration     the kept disks and definition back, start

``resize/`` holds ``libvirt.xml`` (the definition from before the resize)
and the copies, named as the disks they were. It is filled as
``resize.part`` and renamed when complete, so its presence means "a
revert is possible", to a fresh driver (a restarted nova-compute) too.

Disks only grow: a smaller root or ephemeral disk is refused before the
guest is stopped (the API refuses smaller root disks already). Swap is
blank and unformatted (imagebackend.py): a new swap size gives a new blank
disk. A flavor that adds an ephemeral or swap disk gets a blank one.

Another host is cold_migration.py's.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any

from oslo_concurrency import processutils
from oslo_log import log as logging
from oslo_utils import excutils

from nova import conf as nova_conf
from nova import exception
from nova.virt.contract import Instance
from nova.virt.contract import field
from nova.virt.libvirt import config
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import qemu_img
from nova.virt.libvirt import rescue as rescue_mod
from nova.virt.libvirt.guest import Guest

if TYPE_CHECKING:
    from nova.virt.libvirt.driver import LibvirtDriver

LOG = logging.getLogger(__name__)
CONF = nova_conf.CONF

KEPT = 'resize'
_KEEPING = KEPT + '.part'
DEFINITION = 'libvirt.xml'
_EXTRA_DISKS = (imagebackend.EPHEMERAL_DISK, imagebackend.SWAP_DISK)


def is_resized(instance_dir: str) -> bool:
    """Whether a resize of the guest awaits confirm or revert."""
    return os.path.isdir(os.path.join(instance_dir, KEPT))


def _shrinking(instance_uuid: str, disk: str, old: int,
               new: int) -> exception.Invalid:
    return exception.Invalid(
        reason=f'the {disk} disk of instance {instance_uuid} cannot shrink '
               f'from {old} to {new} bytes; choose a flavor with a disk at '
               f'least as large')


def check_growth(instance_uuid: str, disks: dict[str, tuple[str, str]],
                  root_bytes: int, ephemeral_bytes: int) -> None:
    """Refuse, before anything changes, disks that would shrink.

    ``root_bytes`` 0 keeps the root disk as it is (a flavor whose root disk
    is the image's size)."""
    root = disks.get('disk')
    if root and root_bytes:
        size = qemu_img.virtual_size(*root)
        if root_bytes < size:
            raise _shrinking(instance_uuid, 'root', size, root_bytes)
    ephemeral = disks.get(imagebackend.EPHEMERAL_DISK)
    if ephemeral:
        size = qemu_img.virtual_size(*ephemeral)
        # Even to none: confirming would lose its data.
        if ephemeral_bytes < size:
            raise _shrinking(instance_uuid, 'ephemeral', size,
                             ephemeral_bytes)


def disks_by_name(guest: Guest) -> dict[str, tuple[str, str]]:
    return {os.path.basename(path): (path, fmt)
            for path, fmt in guest.file_disks()}


def refuse_busy(action: str, instance: Instance, instance_dir: str,
                *more: tuple[Callable[[str], bool], str]) -> None:
    """InstanceInvalidState when the guest is rescued, awaits the confirm
    of a resize, or is in one of the ``more`` (test, state) conditions:
    its directory holds what those need and a move would lose."""
    for busy, state in ((rescue_mod.is_rescued, 'rescued'),
                        (is_resized, 'resized, awaiting confirmation'),
                        *more):
        if busy(instance_dir):
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance.uuid, attr='state',
                state=state)


def migrate_disk_and_power_off(drv: LibvirtDriver, instance: Instance,
                               dest: str, flavor: Any, timeout: int,
                               retry_interval: int) -> str:
    instance_dir = drv.instance_dir(instance.uuid)
    guest = drv.guest(instance)
    refuse_busy('resize', instance, instance_dir)
    check_growth(instance.uuid, disks_by_name(guest),
                 int(field(flavor, 'root_gb') or 0) * imagebackend.GiB,
                 int(field(flavor, 'ephemeral_gb') or 0) * imagebackend.GiB)
    guest.power_off(timeout, retry_interval)
    _keep(guest, instance_dir)
    LOG.info('Instance %s stopped for a resize; its disks are kept in %s',
             instance.uuid, os.path.join(instance_dir, KEPT))
    return json.dumps({'source_host': drv.host_name})


def _keep(guest: Guest, instance_dir: str) -> None:
    keeping = os.path.join(instance_dir, _KEEPING)
    shutil.rmtree(keeping, ignore_errors=True)  # a compute died keeping
    os.mkdir(keeping)
    try:
        for path, _fmt in guest.file_disks():
            _copy(path, os.path.join(keeping, os.path.basename(path)))
        imagebackend.write_durably(os.path.join(keeping, DEFINITION),
                                   guest.definition())
        os.rename(keeping, os.path.join(instance_dir, KEPT))
    except Exception:
        with excutils.save_and_reraise_exception():
            shutil.rmtree(keeping, ignore_errors=True)


def _copy(src: str, dst: str) -> None:
    # cp keeps holes (raw disks are mostly holes) and reflinks where the
    # filesystem can; qemu-img convert would flatten an overlay.
    try:
        processutils.execute('cp', '--sparse=always', '--reflink=auto',
                             src, dst)
    except processutils.ProcessExecutionError as e:
        raise exception.VirtDriverError(
            operation='resize', instance_uuid='-',
            reason=f'copying {src} failed: {e.stderr.strip()}') from e


def finish_migration(drv: LibvirtDriver, instance: Instance,
                     disk_info: str, power_on: bool) -> None:
    """The guest with ``instance``'s sizes; on any failure, the guest as
    it was before the resize, stopped, and nothing kept."""
    instance_dir = drv.instance_dir(instance.uuid)
    if not is_resized(instance_dir):
        raise exception.VirtDriverError(
            operation='finish_migration', instance_uuid=instance.uuid,
            reason='its disks were not kept by migrate_disk_and_power_off '
                   'on this host')
    guest = drv.guest(instance)
    try:
        guest.power_off()
        disks = grow_disks(instance, instance_dir, disks_by_name(guest))
        guest = drv.define(instance_dir, config.resized_definition(
            guest.definition(), instance, disks))
        if power_on:
            guest.launch()
    except Exception:
        with excutils.save_and_reraise_exception():
            try:
                _restore(drv, instance, start=False)
            except Exception:  # noqa: BLE001 - the resize's error is raised
                LOG.exception('Could not restore %s after a failed resize; '
                              '%s still holds its disks', instance.uuid,
                              os.path.join(instance_dir, KEPT))
    LOG.info('Instance %s resized to %s vCPUs, %s MiB', instance.uuid,
             instance.vcpus, instance.memory_mb)


def grow_disks(instance: Instance, instance_dir: str,
                current: dict[str, tuple[str, str]]
                ) -> list[imagebackend.Disk]:
    """The guest's disks at the flavor's sizes, root disk first."""
    root_bytes = int(instance.root_gb or 0) * imagebackend.GiB
    wanted = dict(imagebackend.extra_disk_sizes(instance))
    check_growth(instance.uuid, current, root_bytes,
                  wanted.get(imagebackend.EPHEMERAL_DISK, 0))
    disks = []
    if 'disk' in current:
        path, fmt = current['disk']
        if root_bytes > qemu_img.virtual_size(path, fmt):
            qemu_img.resize(path, fmt, root_bytes)
        disks.append(imagebackend.Disk('disk', path, fmt))
    for name in _EXTRA_DISKS:
        size = wanted.get(name, 0)
        path, fmt = current.get(name) or (os.path.join(instance_dir, name),
                                          CONF.libvirt.images_type)
        old = qemu_img.virtual_size(path, fmt) if name in current else 0
        if old and old != size and (name == imagebackend.SWAP_DISK
                                    or not size):
            # Swap holds nothing worth keeping; the kept copy serves a
            # revert.
            imagebackend.remove_file(path)
            old = 0
        if size and not old:
            qemu_img.create_blank(path, fmt, size)
        elif size > old:
            qemu_img.resize(path, fmt, size)
        if size:
            disks.append(imagebackend.Disk(name, path, fmt))
    return disks


def confirm_migration(drv: LibvirtDriver, instance: Instance) -> None:
    instance_dir = drv.instance_dir(instance.uuid)
    shutil.rmtree(os.path.join(instance_dir, KEPT), ignore_errors=True)
    LOG.info('Resize of instance %s confirmed', instance.uuid)


def finish_revert_migration(drv: LibvirtDriver, instance: Instance,
                            power_on: bool) -> None:
    if not is_resized(drv.instance_dir(instance.uuid)):
        raise exception.VirtDriverError(
            operation='finish_revert_migration',
            instance_uuid=instance.uuid,
            reason='no resize of it to revert on this host (nothing kept)')
    _restore(drv, instance, start=power_on)
    LOG.info('Resize of instance %s reverted', instance.uuid)


def _restore(drv: LibvirtDriver, instance: Instance, start: bool) -> None:
    """The kept disks and definition back. Can be run again after it was
    interrupted: a disk already moved back is no longer in ``resize/``."""
    instance_dir = drv.instance_dir(instance.uuid)
    kept = os.path.join(instance_dir, KEPT)
    with open(os.path.join(kept, DEFINITION)) as f:
        definition = f.read()
    try:
        drv.guest(instance).power_off()
    except exception.InstanceNotFound:
        pass  # the definition below brings it back
    for name in os.listdir(kept):
        if name != DEFINITION:
            os.replace(os.path.join(kept, name),
                       os.path.join(instance_dir, name))
    guest = drv.define(instance_dir, definition)
    own = disks_by_name(guest)
    for name in _EXTRA_DISKS:
        if name not in own:  # added by the resize
            imagebackend.remove_file(os.path.join(instance_dir, name))
    shutil.rmtree(kept)
    if start:
        guest.launch()
