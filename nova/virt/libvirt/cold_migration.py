"""Cold migration and resize to another host (resize.py does the same
host): the cold-migration contract (nova.virt.migration) across hosts.

    source       migrate_disk_and_power_off: stop the guest; export a
                 standalone copy of each disk (overlays flattened: the
                 destination has its own image cache, or none), the files
                 it uses from the image cache and its definition into
                 ``migration/``, offered to the destination as a transient
                 storage pool; its own disks stay as they are
    destination  finish_migration: fetch the export through the source's
                 libvirtd (peers.py), grow the disks to the new flavor,
                 define the guest from the source's definition (the image
                 properties it was made from are not given again), start
    source       confirm: remove the guest and its directory
                 revert: drop the export, start the guest again (the
                 destination's copy is destroyed by the manager first)

A failed finish leaves nothing on the destination; the source still has
its guest and its export until the move is reverted or confirmed.
"""

from __future__ import annotations

import json
import os
import shutil
from typing import TYPE_CHECKING
from typing import Any

from oslo_log import log as logging
from oslo_utils import excutils

from nova.virt.contract import Instance
from nova.virt.contract import field
from nova.virt.libvirt import config
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import peers
from nova.virt.libvirt import qemu_img
from nova.virt.libvirt import relocate
from nova.virt.libvirt import resize as resize_mod
from nova.virt.libvirt.guest import Guest

if TYPE_CHECKING:
    from nova.virt.libvirt.driver import LibvirtDriver

LOG = logging.getLogger(__name__)

EXPORT = 'migration'
_EXPORTING = EXPORT + '.part'
POOL = 'outgoing'


def is_exported(instance_dir: str) -> bool:
    """Whether the guest here awaits the confirm or revert of a move to
    another host."""
    return os.path.isdir(os.path.join(instance_dir, EXPORT))


# -- source -----------------------------------------------------------------
def export(drv: LibvirtDriver, instance: Instance, flavor: Any,
           timeout: int, retry_interval: int) -> str:
    instance_dir = drv.instance_dir(instance.uuid)
    guest = drv.guest(instance)
    resize_mod.refuse_busy('resize', instance, instance_dir,
                           (is_exported, 'migrated, awaiting confirmation'))
    resize_mod.check_growth(
        instance.uuid, resize_mod.disks_by_name(guest),
        int(field(flavor, 'root_gb') or 0) * imagebackend.GiB,
        int(field(flavor, 'ephemeral_gb') or 0) * imagebackend.GiB)
    guest.power_off(timeout, retry_interval)
    definition = guest.definition()
    exporting = os.path.join(instance_dir, _EXPORTING)
    shutil.rmtree(exporting, ignore_errors=True)  # a compute died here
    os.mkdir(exporting)
    disks = []
    try:
        for path, fmt in guest.file_disks():
            name = os.path.basename(path)
            qemu_img.convert(path, fmt, os.path.join(exporting, name), fmt)
            disks.append([name, fmt])
        travel = relocate.files_outside(definition, instance_dir)
        for path in travel:
            shutil.copyfile(path, os.path.join(
                exporting, relocate.travel_name(path)))
        export_dir = os.path.join(instance_dir, EXPORT)
        os.rename(exporting, export_dir)
    except Exception:
        with excutils.save_and_reraise_exception():
            shutil.rmtree(exporting, ignore_errors=True)
    peers.open_pool(drv.host.get_connection(),
                    peers.pool_name(POOL, instance.uuid), export_dir)
    LOG.info('Instance %s stopped and exported in %s for its move',
             instance.uuid, export_dir)
    return json.dumps({
        'source_host': drv.host_name, 'source_uri': peers.inbound_uri(),
        'source_instance_dir': instance_dir, 'definition': definition,
        'disks': disks,
        'travel': [relocate.travel_name(path) for path in travel]})


def confirm(drv: LibvirtDriver, instance: Instance) -> None:
    relocate.remove_instance(drv, instance, POOL)
    LOG.info('Move of instance %s confirmed; removed it here',
             instance.uuid)


def revert(drv: LibvirtDriver, instance: Instance, power_on: bool) -> None:
    peers.close_pool(drv.host.get_connection(),
                     peers.pool_name(POOL, instance.uuid))
    instance_dir = drv.instance_dir(instance.uuid)
    shutil.rmtree(os.path.join(instance_dir, EXPORT), ignore_errors=True)
    if power_on:
        drv.guest(instance).launch()
    LOG.info('Move of instance %s reverted', instance.uuid)


# -- destination ------------------------------------------------------------
def finish(drv: LibvirtDriver, instance: Instance, exported: dict[str, Any],
           power_on: bool) -> None:
    instance_dir = drv.instance_dir(instance.uuid)
    relocate.make_instance_dir(instance_dir, drv.host_name, instance.uuid,
                               'finish_migration')
    guest: Guest | None = None
    try:
        _fetch(instance, exported, instance_dir)
        current = {name: (os.path.join(instance_dir, name), fmt)
                   for name, fmt in exported['disks']}
        disks = resize_mod.grow_disks(instance, instance_dir, current)
        definition = relocate.relocated(
            exported['definition'], exported['source_instance_dir'],
            instance_dir, drv.graphics_listen())
        guest = drv.define(instance_dir, config.resized_definition(
            definition, instance, disks))
        if power_on:
            guest.launch()
    except Exception:
        with excutils.save_and_reraise_exception():
            drv.remove_guest(guest, instance_dir, destroy_disks=True)
    LOG.info('Instance %s arrived from %s', instance.uuid,
             exported['source_host'])


def _fetch(instance: Instance, exported: dict[str, Any],
           instance_dir: str) -> None:
    names = [name for name, _fmt in exported['disks']] + exported['travel']
    with peers.connection(exported['source_uri'],
                          exported['source_host']) as conn:
        pool = conn.storagePoolLookupByName(
            peers.pool_name(POOL, instance.uuid))
        for name in names:
            peers.download(conn, pool, name, os.path.join(instance_dir, name))
