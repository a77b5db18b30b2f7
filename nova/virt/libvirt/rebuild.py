"""Rebuild in place: the same domain (uuid, name, NICs) with a fresh root
disk from an image and a definition made from that image's properties.

The steps are ordered so that a failure leaves either the guest as it
was, or the guest stopped with a complete definition, and never a stray
file:

1. while the guest still runs: download the image into the cache, stage
   the new root disk as ``disk.rebuild`` and build the new definition (a
   bad image, download or image property fails here);
2. stop the guest, hard (its root disk is being thrown away) and drop
   any saved memory (it belongs to the old disk);
3. define the new domain, then move the staged disk over the old one;
4. start it.

A rescue the guest was in ends: the new definition boots its own root
disk. The ephemeral and swap disks are kept unless ``preserve_ephemeral`` is
false; they are blank, unformatted disks (imagebackend.py), so "not
preserved" means blank again.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from typing import Any

from oslo_log import log as logging
from oslo_utils import excutils

from nova import conf as nova_conf
from nova import exception
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import NetworkInfo
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import qemu_img
from nova.virt.libvirt import rescue as rescue_mod
from nova.virt.libvirt.guest import Guest

if TYPE_CHECKING:
    from nova.virt.libvirt.driver import LibvirtDriver

LOG = logging.getLogger(__name__)
CONF = nova_conf.CONF

STAGED_DISK = 'disk.rebuild'
ROOT_DISK = 'disk'


def _existing(drv: LibvirtDriver, instance: Instance) -> Guest | None:
    try:
        return drv.guest(instance)
    except exception.InstanceNotFound:
        return None  # e.g. removed by an operator: rebuild makes it anew


def _extra_disks(instance: Instance, instance_dir: str, guest: Guest | None,
                 images_type: str, preserve: bool
                 ) -> tuple[list[imagebackend.Disk],
                            list[tuple[imagebackend.Disk, int]]]:
    """The flavor's ephemeral and swap disks, and those of them to create
    (blank) once the guest is stopped, with their sizes."""
    formats = dict(guest.file_disks()) if guest is not None else {}
    disks, blank = [], []
    for name, size in imagebackend.extra_disk_sizes(instance):
        path = os.path.join(instance_dir, name)
        keep = preserve and os.path.exists(path)
        fmt = formats.get(path, images_type) if keep else images_type
        disk = imagebackend.Disk(name, path, fmt)
        disks.append(disk)
        if not keep:
            blank.append((disk, size))
    return disks, blank


def rebuild(drv: LibvirtDriver, context: Any, instance: Instance,
            image_meta: ImageMeta, network_info: NetworkInfo,
            preserve_ephemeral: bool = False) -> None:
    instance_dir = drv.instance_dir(instance.uuid)
    guest = _existing(drv, instance)
    os.makedirs(instance_dir, exist_ok=True)
    staged = os.path.join(instance_dir, STAGED_DISK)
    root = os.path.join(instance_dir, ROOT_DISK)
    images_type = CONF.libvirt.images_type
    imagebackend.remove_file(staged)  # a compute died mid-rebuild
    try:
        cache = drv.image_cache()
        new_disks = imagebackend.create_root_disks(
            cache, context, image_meta, staged, images_type,
            int(instance.root_gb or 0) * imagebackend.GiB)
        kernel = imagebackend.kernel_boot(cache, context, image_meta)
        extra, blank = _extra_disks(instance, instance_dir, guest,
                                    images_type, preserve_ephemeral)
        disks = [imagebackend.Disk(ROOT_DISK, root, d.format, d.device)
                 if d.path == staged else d for d in new_disks] + extra
        xml = drv.domain_xml(instance, image_meta, disks, network_info,
                             kernel)
        if guest is not None:
            guest.power_off()
        guest = drv.define(instance_dir, xml)
        # A server stopped while rescued (or failed to unrescue) may be
        # rebuilt: the new definition ends the rescue.
        rescue_mod.forget(instance_dir)
        if os.path.exists(staged):
            os.replace(staged, root)
        else:  # an ISO and a flavor without root disk: no disk at all
            imagebackend.remove_file(root)
        for disk, size in blank:
            qemu_img.create_blank(disk.path, disk.format, size)
    except Exception:
        with excutils.save_and_reraise_exception():
            imagebackend.remove_file(staged)
    guest.launch()
    LOG.info('Instance %s rebuilt from image %s', instance.uuid,
             image_meta.get('id'))
