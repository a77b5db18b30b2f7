"""``nova-manage image import``: add a disk image file for operators.

    nova-manage image import FILE --name NAME [--disk-format FORMAT]
                             [--container-format bare] [--visibility V]
                             [--min-disk GB] [--min-ram MB]
                             [--project-id ID] [--property KEY=VALUE ...]

The file is inspected first (``nova.image.format_inspector``): its real
format must be the declared one (or is taken as the format when none is
declared), and a qcow2 with a backing file or an external data file is
refused, exactly as before qemu-img would read it. It is then stored by
the configured image backend (``[image] backend``): the local store (a
database record and a data file under ``[image] store_dir``, hashed md5
and sha512 while copied) or Glance.
"""

from __future__ import annotations

import dataclasses
import os

from oslo_config import cfg

from nova import context as nova_context
from nova import exception
from nova.cmd.manage import CommandError
from nova.cmd.manage import _require_database
from nova.cmd.manage import args
from nova.image import format_inspector

# Glance's disk formats that the inspector can recognise; luks, qed and
# parallels are recognised only to be refused.
DISK_FORMATS = ('raw', 'qcow2', 'vmdk', 'vhd', 'vhdx', 'vdi', 'iso')
VISIBILITIES = ('public', 'private', 'shared', 'community')


def _properties(pairs: list[str] | None) -> dict[str, str]:
    properties = {}
    for pair in pairs or ():
        key, sep, value = pair.partition('=')
        if not sep or not key:
            raise CommandError(f'--property {pair!r} is not KEY=VALUE')
        properties[key] = value
    return properties


def _disk_format(path: str, declared: str | None
                 ) -> format_inspector.ImageInfo:
    try:
        info = format_inspector.inspect(path)
    except OSError as exc:
        raise CommandError(f'cannot read {path}: {exc.strerror}') from None
    if declared is None:
        declared = info.format
        if len(info.matches) <= 1 and declared not in DISK_FORMATS:
            raise CommandError(
                f'{path} is a {declared} image, which cannot be imported '
                f'(formats: {", ".join(DISK_FORMATS)})')
    elif declared == 'raw' and info.format == 'iso':
        # Accepted before qemu-img, but an operator means what he says:
        # an ISO imported as raw would boot as a hard disk.
        raise CommandError(f'{path} is an ISO image: import it with '
                           f'--disk-format iso')
    format_inspector.check(info, declared)
    return dataclasses.replace(info, format=declared)


class ImageCommands:
    """Disk images of the configured image backend."""

    @args('file', metavar='FILE', help='The disk image file to import')
    @args('--name', required=True, metavar='NAME', help='Image name')
    @args('--disk-format', choices=DISK_FORMATS,
          help='Declared format; it must match the contents (default: '
               'the format detected from the contents)')
    @args('--container-format', default='bare', choices=('bare',),
          help='Container format (only bare is bootable)')
    @args('--visibility', default='public', choices=VISIBILITIES,
          help='Who may see the image (default: public)')
    @args('--min-disk', type=int, default=0, metavar='GB',
          help='Smallest root disk, in GiB, to boot the image on')
    @args('--min-ram', type=int, default=0, metavar='MB',
          help='Least memory, in MiB, to boot the image with')
    @args('--project-id', metavar='ID',
          help='Owner of the image (default: none, an operator image)')
    @args('--property', action='append', metavar='KEY=VALUE',
          dest='properties', help='Image property, e.g. os_distro=debian '
                                  '(repeat for more)')
    def _import(self, file: str, name: str, disk_format: str | None = None,
                container_format: str = 'bare',
                visibility: str = 'public', min_disk: int = 0,
                min_ram: int = 0, project_id: str | None = None,
                properties: list[str] | None = None) -> int:
        """Inspect a disk image file, then store it as a new image."""
        from nova.image import api as image_api
        local = cfg.CONF.image.backend == 'local'
        if local:
            _require_database()
        if not os.path.isfile(file):
            raise CommandError(f'{file} is not a file')
        if min_disk < 0 or min_ram < 0:
            raise CommandError('--min-disk and --min-ram cannot be negative')
        info = _disk_format(file, disk_format)
        meta = {'name': name, 'disk_format': info.format,
                'container_format': container_format,
                'visibility': visibility, 'min_disk': min_disk,
                'min_ram': min_ram, 'owner': project_id,
                'properties': _properties(properties)}
        ctxt = nova_context.get_admin_context()
        api = image_api.API()
        image = api.create(ctxt, meta)
        try:
            api.upload(ctxt, image['id'], file, info.format)
            if local and info.virtual_size and info.format != 'raw':
                # The local store knows the size of raw data only.
                api.backend.update(ctxt, image['id'],
                                   {'virtual_size': info.virtual_size})
        except BaseException:
            # No queued husk left behind by a failed import.
            try:
                api.delete(ctxt, image['id'])
            except exception.NovaException:
                pass
            raise
        image = api.get(ctxt, image['id'])
        print(f"Imported {file} as image {image['id']} ({info.format}, "
              f"{image.get('size')} bytes, md5 {image.get('checksum')}).")
        return 0


# "import" is a keyword, so the action's method is named _import and gets
# its command name here.
setattr(ImageCommands, 'import', ImageCommands._import)
