"""Rescue: boot a guest from a rescue image with its own disks attached
after the rescue disk, and back (unrescue).

The guest's own disks are not touched: the rescue domain boots from
``disk.rescue`` (made from the rescue image like a root disk, through the
image cache) and sees the guest's disks as its second, third... disk. Two
files in the instance directory hold the rescue:

    disk.rescue    the rescue root disk
    unrescue.xml   the domain's definition from before the rescue

``unrescue.xml`` is written before the domain changes and removed last.
Its presence is what "rescued" means to this driver, so a fresh driver
(a restarted nova-compute) can unrescue, and an unrescue or a rescue that
failed half-way can simply be run again.

The rescue password is not handed to the guest: we have no config drive
or guest agent to carry it; the rescue image's own credentials apply.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from typing import Any

from oslo_log import log as logging
from oslo_utils import excutils

from nova import conf as nova_conf
from nova import exception
from nova.virt import power_state
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import NetworkInfo
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt.guest import Guest

if TYPE_CHECKING:
    from nova.virt.libvirt.driver import LibvirtDriver

LOG = logging.getLogger(__name__)
CONF = nova_conf.CONF

RESCUE_DISK = 'disk.rescue'
UNRESCUE_XML = 'unrescue.xml'


def is_rescued(instance_dir: str) -> bool:
    return os.path.exists(os.path.join(instance_dir, UNRESCUE_XML))


def forget(instance_dir: str) -> None:
    """Remove the rescue's files; the record last, so that a crash in
    between leaves a rescue that unrescue still finishes."""
    imagebackend.remove_file(os.path.join(instance_dir, RESCUE_DISK))
    imagebackend.remove_file(os.path.join(instance_dir, UNRESCUE_XML))


def _invalid(action: str, instance: Instance, attr: str,
             state: str) -> exception.InstanceInvalidState:
    return exception.InstanceInvalidState(
        action=action, instance_uuid=instance.uuid, attr=attr, state=state)


def rescue(drv: LibvirtDriver, context: Any, instance: Instance,
           network_info: NetworkInfo, image_meta: ImageMeta) -> None:
    """Boot ``instance`` from ``image_meta`` with its disks attached."""
    instance_dir = drv.instance_dir(instance.uuid)
    guest = drv.guest(instance)
    if guest.power_state() == power_state.SUSPENDED:
        # Its saved memory expects its own disks where they were.
        raise _invalid('rescue', instance, 'power_state', 'suspended')
    if is_rescued(instance_dir):
        raise _invalid('rescue', instance, 'rescue state', 'rescued')
    original = guest.definition()
    disk_path = os.path.join(instance_dir, RESCUE_DISK)
    # Everything that can fail because of the image, before the guest is
    # touched: a bad rescue image leaves the guest as it was.
    try:
        cache = drv.image_cache()
        disks = imagebackend.create_root_disks(
            cache, context, image_meta, disk_path,
            CONF.libvirt.images_type, 0)
        disks += [imagebackend.Disk(os.path.basename(path), path, fmt)
                  for path, fmt in guest.file_disks()]
        kernel = imagebackend.kernel_boot(cache, context, image_meta)
        xml = drv.domain_xml(instance, image_meta, disks, network_info,
                             kernel)
    except Exception:
        with excutils.save_and_reraise_exception():
            imagebackend.remove_file(disk_path)
    was_active = guest.is_active()
    # Whole or absent, even across a host crash: unrescue depends on it.
    imagebackend.write_durably(os.path.join(instance_dir, UNRESCUE_XML),
                               original)
    try:
        guest.destroy()
        Guest.define(drv.host.get_connection(), xml).launch()
    except Exception:
        with excutils.save_and_reraise_exception():
            _undo(drv, instance, original, was_active)
    LOG.info('Instance %s rescued from image %s', instance.uuid,
             image_meta.get('id'))


def _undo(drv: LibvirtDriver, instance: Instance, original: str,
          was_active: bool) -> None:
    """Back to the guest from before a failed rescue, as far as possible;
    what cannot be undone stays recorded for unrescue."""
    try:
        drv.guest(instance).destroy()
        guest = Guest.define(drv.host.get_connection(), original)
        forget(drv.instance_dir(instance.uuid))
        if was_active:
            guest.launch()
    except Exception:  # noqa: BLE001 - the rescue's own error is raised
        LOG.exception('Could not undo the failed rescue of %s; unrescue '
                      'will finish it', instance.uuid)


def unrescue(drv: LibvirtDriver, instance: Instance) -> None:
    """Back to the guest's own definition and disks, started."""
    instance_dir = drv.instance_dir(instance.uuid)
    try:
        with open(os.path.join(instance_dir, UNRESCUE_XML)) as f:
            original = f.read()
    except FileNotFoundError:
        raise _invalid('unrescue', instance, 'rescue state',
                       'not rescued') from None
    try:
        # Saved memory of the rescue system must not be resumed.
        drv.guest(instance).power_off()
    except exception.InstanceNotFound:
        pass
    Guest.define(drv.host.get_connection(), original).launch()
    forget(instance_dir)
    LOG.info('Instance %s unrescued', instance.uuid)
