"""What a disk image really is, read from its headers, without qemu-img.

Image data comes from users, and its declared ``disk_format`` is only a
claim. Letting qemu-img probe the format, or trusting the claim, lets a
"raw" image that is really a qcow2 name a host file (``/etc/shadow``, a
host block device, another tenant's image) as its backing file or external
data file, which the guest would then read. So before any qemu-img call:
``inspect()`` the file, then ``check()`` it against the declared format.

Detection is a table of magic numbers at fixed offsets (negative: from the
end of the file); a file matching none is raw. A file matching several
(a polyglot, e.g. an ISO with a qcow2 header) is refused by ``check``:
different readers would see different disks. For qcow2 the header is
parsed for the virtual size, the backing file, the encryption method and
the external data-file feature (incompatible feature bit 2, with the file
name in header extension 0x44415441); for vmdk the descriptor, since only
a sparse extent of type monolithicSparse or streamOptimized holds its own
data (other types, and bare descriptor files, make qemu open the files
they name).
"""

from __future__ import annotations

import dataclasses
import os
import re
import struct
from typing import BinaryIO

from nova import exception

# (format, offset, magic): offsets from the start, or from the end if
# negative. Several rows may name one format.
SIGNATURES: tuple[tuple[str, int, bytes], ...] = (
    ('qcow2', 0, b'QFI\xfb'),
    ('qed', 0, b'QED\x00'),
    ('vmdk', 0, b'KDMV'),                     # sparse extent
    ('vmdk', 0, b'# Disk DescriptorFile'),    # text descriptor
    ('vhdx', 0, b'vhdxfile'),
    ('vhd', 0, b'conectix'),                  # dynamic: footer copy
    ('vhd', -512, b'conectix'),               # fixed: footer only
    ('vdi', 0x40, struct.pack('<I', 0xbeda107f)),
    ('luks', 0, b'LUKS\xba\xbe'),
    ('parallels', 0, b'WithoutFreeSpace'),
    ('parallels', 0, b'WithouFreSpacExt'),
    ('iso', 0x8001, b'CD001'),                # ISO 9660 volume descriptors
    ('iso', 0x8801, b'CD001'),
    ('iso', 0x9001, b'CD001'),
)

# What qemu reads as raw bytes: an ISO 9660 filesystem carries no
# qemu-level metadata, so a "raw" disk may hold one.
RAW_COMPATIBLE = frozenset(('raw', 'iso'))

_QCOW2_HEADER = struct.Struct('>4sIQIIQI')  # magic .. crypt_method
_QCOW2_INCOMPAT_DATA_FILE = 1 << 2
_QCOW2_EXT_DATA_FILE = 0x44415441
_QCOW2_EXT_END = 0
_QCOW2_CRYPT = {0: None, 1: 'aes', 2: 'luks'}
_MAX_NAME = 4096  # qemu's limit for a backing file name (PATH_MAX)

_VMDK_HEADER = struct.Struct('<4sIIQQQQ')  # magic .. descriptor size
# One file holding its own data; every other type is a descriptor naming
# other files (flat extents, split files, devices) that qemu would open.
VMDK_SELF_CONTAINED = frozenset(('monolithicSparse', 'streamOptimized'))
_VMDK_MAX_DESCRIPTOR = 64 * 1024


@dataclasses.dataclass(frozen=True)
class ImageInfo:
    """What ``inspect`` found; ``matches`` lists every signature seen."""

    path: str
    format: str
    matches: tuple[str, ...]
    size: int                           # bytes on disk
    virtual_size: int | None = None     # guest-visible bytes, if known
    backing_file: str | None = None     # qcow2 only
    data_file: bool = False             # qcow2 external data-file bit
    data_file_name: str | None = None
    encryption: str | None = None       # qcow2 crypt method
    vmdk_create_type: str | None = None
    vmdk_descriptor_file: bool = False  # text only: data is elsewhere

    @property
    def references_other_files(self) -> bool:
        return bool(self.backing_file) or self.data_file or (
            self.format == 'vmdk' and (
                self.vmdk_descriptor_file or
                self.vmdk_create_type not in VMDK_SELF_CONTAINED))


def inspect(path: str) -> ImageInfo:
    """Detect the format of the file at ``path`` (see the module doc)."""
    with open(path, 'rb') as handle:
        size = os.fstat(handle.fileno()).st_size
        matches = tuple(sorted({fmt for fmt, offset, magic in SIGNATURES
                                if _has(handle, size, offset, magic)}))
        fmt = matches[0] if len(matches) == 1 else (
            'raw' if not matches else 'ambiguous')
        if fmt == 'qcow2':
            return _inspect_qcow2(handle, path, size, matches)
        if fmt == 'vmdk':
            return _inspect_vmdk(handle, path, size, matches)
    return ImageInfo(path=path, format=fmt, matches=matches, size=size,
                     virtual_size=size if fmt in RAW_COMPATIBLE else None)


def check(info: ImageInfo, declared: str,
          trusted_backing_dir: str | None = None) -> None:
    """Refuse (``UnsafeDiskImage``) what must never reach qemu-img.

    Refused: a file matching several formats; a detected format other than
    ``declared`` (a declared raw may be an ISO, which qemu reads as raw);
    a qcow2 with an external data file; a qcow2 with a backing file, unless
    the backing file lies in ``trusted_backing_dir`` (our own image cache,
    for an instance's overlay being snapshotted).
    """
    if len(info.matches) > 1:
        raise exception.UnsafeDiskImage(
            reason=f'it matches several formats at once '
                   f'({", ".join(info.matches)})')
    if info.format != declared and not (
            declared == 'raw' and info.format in RAW_COMPATIBLE):
        raise exception.UnsafeDiskImage(
            reason=f'it is not a valid {declared} image: its contents '
                   f'are {info.format}')
    if info.data_file:
        raise exception.UnsafeDiskImage(
            reason='qcow2 images with an external data file are not '
                   'accepted')
    if info.backing_file and not _inside(info, trusted_backing_dir):
        raise exception.UnsafeDiskImage(
            reason=f'{info.format} images with a backing file are not '
                   f'accepted')
    if info.format == 'vmdk' and \
            info.vmdk_create_type not in VMDK_SELF_CONTAINED:
        raise exception.UnsafeDiskImage(
            reason=f'vmdk images of type {info.vmdk_create_type} name '
                   f'other files; only '
                   f'{", ".join(sorted(VMDK_SELF_CONTAINED))} are accepted')
    if info.format == 'vmdk' and info.vmdk_descriptor_file:
        raise exception.UnsafeDiskImage(
            reason='a vmdk descriptor file has its data in other files')


def check_file(path: str, declared: str,
               trusted_backing_dir: str | None = None) -> ImageInfo:
    """``inspect`` then ``check``; the ImageInfo of an acceptable file."""
    info = inspect(path)
    check(info, declared, trusted_backing_dir)
    return info


def _has(handle: BinaryIO, size: int, offset: int, magic: bytes) -> bool:
    start = size + offset if offset < 0 else offset
    if start < 0 or start + len(magic) > size:
        return False
    handle.seek(start)
    return handle.read(len(magic)) == magic


def _read_at(handle: BinaryIO, offset: int, length: int) -> bytes:
    handle.seek(offset)
    return handle.read(length)


def _inspect_qcow2(handle: BinaryIO, path: str, size: int,
                   matches: tuple[str, ...]) -> ImageInfo:
    header = _read_at(handle, 0, 112)
    if len(header) < 72:
        raise exception.UnsafeDiskImage(reason='truncated qcow2 header')
    (_magic, version, backing_offset, backing_size, _cluster_bits,
     virtual_size, crypt) = _QCOW2_HEADER.unpack_from(header)
    backing = None
    if backing_offset:
        if backing_size > _MAX_NAME:
            raise exception.UnsafeDiskImage(
                reason='qcow2 backing file name is too long')
        backing = _read_at(handle, backing_offset, backing_size).decode(
            errors='replace') or None
        # A zero-length name at a non-zero offset still asks qemu to
        # look for a backing file: treat it as one.
        backing = backing or '(unnamed)'
    incompatible = 0
    header_length = 72
    if version >= 3 and len(header) >= 104:
        incompatible = struct.unpack_from('>Q', header, 72)[0]
        header_length = struct.unpack_from('>I', header, 100)[0]
    data_file_name = _qcow2_data_file_name(handle, header_length,
                                           backing_offset)
    return ImageInfo(
        path=path, format='qcow2', matches=matches, size=size,
        virtual_size=virtual_size, backing_file=backing,
        data_file=bool(incompatible & _QCOW2_INCOMPAT_DATA_FILE
                       or data_file_name),
        data_file_name=data_file_name,
        encryption=_QCOW2_CRYPT.get(crypt, f'unknown ({crypt})'))


def _inspect_vmdk(handle: BinaryIO, path: str, size: int,
                  matches: tuple[str, ...]) -> ImageInfo:
    """The descriptor's createType and parent: a text descriptor file,
    or the one embedded in a sparse extent (at a sector offset)."""
    header = _read_at(handle, 0, _VMDK_HEADER.size)
    virtual_size = None
    sparse = header[:4] == b'KDMV'
    if sparse and len(header) == _VMDK_HEADER.size:
        (_magic, _version, _flags, capacity, _grain, desc_sector,
         desc_sectors) = _VMDK_HEADER.unpack(header)
        virtual_size = capacity * 512
        descriptor = _read_at(handle, desc_sector * 512,
                              min(desc_sectors * 512, _VMDK_MAX_DESCRIPTOR)
                              ) if desc_sector else b''
    else:
        descriptor = _read_at(handle, 0, _VMDK_MAX_DESCRIPTOR)
    text = descriptor.split(b'\0', 1)[0].decode('ascii', errors='replace')
    create_type = re.search(r'^\s*createType\s*=\s*"([^"]*)"', text,
                            re.MULTILINE)
    parent = re.search(r'^\s*parentFileNameHint\s*=\s*"([^"]*)"', text,
                       re.MULTILINE)
    return ImageInfo(
        path=path, format='vmdk', matches=matches, size=size,
        virtual_size=virtual_size,
        backing_file=parent.group(1) if parent else None,
        vmdk_create_type=create_type.group(1) if create_type else None,
        vmdk_descriptor_file=not sparse)


def _qcow2_data_file_name(handle: BinaryIO, offset: int,
                          limit: int) -> str | None:
    """The external data file named in the header extensions, if any.

    Extensions follow the header up to the backing file name (or the end
    of the first cluster); each is type, length, data padded to 8 bytes.
    """
    end = limit or 65536
    for _ in range(64):  # a valid header has a handful of extensions
        if offset + 8 > end:
            return None
        raw = _read_at(handle, offset, 8)
        if len(raw) < 8:
            return None
        ext_type, length = struct.unpack('>II', raw)
        if ext_type == _QCOW2_EXT_END:
            return None
        if ext_type == _QCOW2_EXT_DATA_FILE:
            return _read_at(handle, offset + 8, min(length, _MAX_NAME)
                            ).decode(errors='replace')
        offset += 8 + (length + 7) // 8 * 8
    return None


def _inside(info: ImageInfo, directory: str | None) -> bool:
    # "json:{...}", "nbd://...": qemu protocols, never our own cache.
    if not directory or not info.backing_file or ':' in info.backing_file:
        return False
    backing = os.path.join(os.path.dirname(os.path.abspath(info.path)),
                           info.backing_file)
    root = os.path.realpath(directory)
    return os.path.commonpath([os.path.realpath(backing), root]) == root
