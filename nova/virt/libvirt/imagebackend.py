"""Instance disks: an image cache and per-instance disks made from it.

Layout under ``[libvirt] instances_path``::

    _base/<sha256 of image id>   image data, downloaded once per image
    <instance uuid>/disk         root disk: qcow2 overlay over the cached
                                 image (images_type = qcow2) or a raw copy
    <instance uuid>/disk.eph0    blank ephemeral disk (unformatted)
    <instance uuid>/disk.swap    blank swap disk (unformatted)
    <instance uuid>/disk.rescue  root disk of a rescue (rescue.py)

Accepted images: ``disk_format`` raw or qcow2 (a root disk) or iso (a
CD-ROM, with a blank root disk), ``container_format`` bare. A qcow2 image
with a backing file or an external data file is refused: it could make the
guest read host files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from typing import Any

from oslo_concurrency import lockutils
from oslo_log import log as logging

from nova import exception
from nova.virt.contract import ImageAPI
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import image_property
from nova.virt.libvirt import qemu_img

LOG = logging.getLogger(__name__)

GiB = 1024 ** 3
MiB = 1024 ** 2
DISK_FORMATS = ('raw', 'qcow2', 'iso')
EPHEMERAL_DISK = 'disk.eph0'
SWAP_DISK = 'disk.swap'


@dataclasses.dataclass(frozen=True)
class Disk:
    """One disk of a guest, as config.py needs it."""

    name: str  # file name in the instance directory, or 'cdrom'
    path: str
    format: str  # raw | qcow2
    device: str = 'disk'  # disk | cdrom


@dataclasses.dataclass(frozen=True)
class KernelBoot:
    kernel: str
    initrd: str | None
    cmdline: str


class ImageCache:
    """Downloads each image once into ``base_dir``, safely across threads
    and processes sharing the directory."""

    def __init__(self, base_dir: str, image_api: ImageAPI | None) -> None:
        self.base_dir = base_dir
        self.image_api = image_api

    def path_for(self, image_id: str) -> str:
        # Hashed: image ids come from users and must not steer the path.
        return os.path.join(self.base_dir,
                            hashlib.sha256(image_id.encode()).hexdigest())

    def fetch(self, context: Any, image_id: str,
              disk_format: str | None = None) -> str:
        """Path of the cached data of ``image_id``, downloading it first
        if needed. With ``disk_format`` (raw/qcow2) the data is checked
        to be a safe image of that format before it enters the cache.
        """
        path = self.path_for(image_id)
        if os.path.exists(path):
            return path
        if self.image_api is None:
            raise exception.VirtDriverError(
                message='The libvirt driver has no image API to download '
                        f'image {image_id} with',
                operation='download', instance_uuid='-', reason='no API')
        os.makedirs(self.base_dir, exist_ok=True)
        with lockutils.lock(f'image-{os.path.basename(path)}',
                            external=True, lock_path=self.base_dir):
            if os.path.exists(path):  # another thread won the race
                return path
            partial = path + '.part'
            try:
                self.image_api.download(context, image_id, partial)
                if disk_format:
                    _check_image(image_id, partial, disk_format)
                os.rename(partial, path)
            finally:
                if os.path.exists(partial):
                    os.unlink(partial)
        LOG.info('Image %s cached at %s', image_id, path)
        return path


def _check_image(image_id: str, path: str, fmt: str) -> None:
    try:
        found = qemu_img.info(path, fmt)
    except exception.VirtDriverError as e:
        # qemu-img cannot read it as the declared format: the image's
        # fault (a 400 to whoever uploaded it), not the hypervisor's.
        raise exception.ImageUnacceptable(
            image_id=image_id,
            reason=f'it is not a valid {fmt} image: '
                   f'{e.kwargs.get("reason", e)}') from e
    if found.get('format') != fmt:
        raise exception.ImageUnacceptable(
            image_id=image_id, reason=f'it is not a {fmt} image')
    data = (found.get('format-specific') or {}).get('data') or {}
    if found.get('backing-filename') or data.get('data-file'):
        raise exception.ImageUnacceptable(
            image_id=image_id,
            reason='images with a backing file or an external data file '
                   'are not accepted')


def remove_file(path: str) -> None:
    """Unlink ``path``; one that is already gone is fine."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def write_durably(path: str, text: str) -> None:
    """Write ``path`` whole or not at all, even across a host crash."""
    partial = path + '.part'
    with open(partial, 'w') as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def validate_image_meta(image_meta: ImageMeta) -> str:
    """The image's disk format, if the driver accepts the image."""
    image_id = str(image_meta.get('id'))
    disk_format = image_meta.get('disk_format') or 'raw'
    if disk_format not in DISK_FORMATS:
        raise exception.ImageUnacceptable(
            image_id=image_id,
            reason=f'disk format {disk_format} is not one of '
                   f'{", ".join(DISK_FORMATS)}')
    container = image_meta.get('container_format') or 'bare'
    if container != 'bare':
        raise exception.ImageUnacceptable(
            image_id=image_id,
            reason=f'container format {container} is not bare')
    return disk_format


def create_root_disks(cache: ImageCache, context: Any,
                      image_meta: ImageMeta, path: str, images_type: str,
                      root_bytes: int) -> list[Disk]:
    """What an image gives a guest: a root disk at ``path`` (an overlay
    or a copy of the image, grown to ``root_bytes`` if > 0), or for an
    ISO the CD-ROM, after a blank root disk at ``path`` if ``root_bytes``.
    """
    disk_format = validate_image_meta(image_meta)
    image_id = str(image_meta.get('id'))
    name = os.path.basename(path)
    if disk_format == 'iso':
        iso = cache.fetch(context, image_id, 'raw')
        disks = []
        if root_bytes:
            qemu_img.create_blank(path, images_type, root_bytes)
            disks.append(Disk(name, path, images_type))
        return [*disks, Disk('cdrom', iso, 'raw', device='cdrom')]
    base = cache.fetch(context, image_id, disk_format)
    virtual_size = int(qemu_img.info(base, disk_format)['virtual-size'])
    if root_bytes and root_bytes < virtual_size:
        raise exception.FlavorDiskTooSmall(flavor_size=root_bytes,
                                           image_size=virtual_size)
    if images_type == 'qcow2':
        qemu_img.create_overlay(path, base, disk_format, root_bytes or None)
    else:
        qemu_img.convert(base, disk_format, path, 'raw')
        if root_bytes > virtual_size:
            qemu_img.resize(path, 'raw', root_bytes)
    return [Disk(name, path, images_type)]


def extra_disk_sizes(instance: Instance) -> list[tuple[str, int]]:
    """(file name, bytes) of the blank disks the flavor gives besides the
    root disk, in the order the guest sees them."""
    sizes = ((EPHEMERAL_DISK, int(instance.ephemeral_gb or 0) * GiB),
             (SWAP_DISK, int(instance.swap or 0) * MiB))
    return [(name, size) for name, size in sizes if size]


def create_instance_disks(cache: ImageCache, context: Any,
                          instance: Instance, image_meta: ImageMeta,
                          instance_dir: str, images_type: str) -> list[Disk]:
    """Create the guest's disks in ``instance_dir``, root disk first."""
    disks = create_root_disks(cache, context, image_meta,
                              os.path.join(instance_dir, 'disk'),
                              images_type, int(instance.root_gb or 0) * GiB)
    for name, size in extra_disk_sizes(instance):
        path = os.path.join(instance_dir, name)
        qemu_img.create_blank(path, images_type, size)
        disks.append(Disk(name, path, images_type))
    return disks


def kernel_boot(cache: ImageCache, context: Any,
                image_meta: ImageMeta) -> KernelBoot | None:
    """Direct kernel boot files, when the image properties name them.

    ``kernel_id``/``ramdisk_id`` are ids of images holding a kernel and an
    initrd, fetched through the cache; ``os_command_line`` is the kernel
    command line. Host paths are deliberately not accepted: whoever can
    set image properties could otherwise load any host file (say
    /etc/shadow) into guest memory as an initrd.
    """
    kernel_id = image_property(image_meta, 'kernel_id')
    if not kernel_id:
        return None
    ramdisk_id = image_property(image_meta, 'ramdisk_id')
    cmdline = image_property(image_meta, 'os_command_line',
                             'root=/dev/vda console=tty0 console=ttyS0')
    return KernelBoot(
        kernel=cache.fetch(context, str(kernel_id)),
        initrd=cache.fetch(context, str(ramdisk_id)) if ramdisk_id else None,
        cmdline=str(cmdline))
