"""nova.image.format_inspector on real and crafted disk images.

Real images are made by qemu-img (so detection is checked against what
QEMU itself writes); the attacks are crafted byte by byte, as an attacker
would, to show they are caught without any help from qemu-img.
"""

from __future__ import annotations

import shutil
import struct
import subprocess

import pytest

from nova import exception
from nova.image import format_inspector as fi

requires_qemu_img = pytest.mark.skipif(
    shutil.which('qemu-img') is None,
    reason='qemu-img is missing: apt-get install -y qemu-utils')

MiB = 1024 * 1024


def qemu_img_create(path, fmt, size='16M', *options):
    subprocess.run(['qemu-img', 'create', '-q', '-f', fmt, *options,
                    str(path), size], check=True)
    return str(path)


def qcow2_header(virtual_size=16 * MiB, backing=b'', incompatible=0,
                 extensions=b''):
    """A minimal qcow2 v3 header, as an attacker would write one."""
    header_length = 104
    ext_end = struct.pack('>II', 0, 0)
    backing_offset = header_length + len(extensions) + len(ext_end) \
        if backing else 0
    header = struct.pack(
        '>4sIQIIQIIQQIIQQQQII', b'QFI\xfb', 3, backing_offset, len(backing),
        16, virtual_size, 0, 0, 0, 0, 0, 0, 0, incompatible, 0, 0, 4,
        header_length)
    assert len(header) == header_length
    return header + extensions + ext_end + backing


def write(path, data, size=None):
    data = bytes(data)
    if size is not None:
        data = data.ljust(size, b'\0')
    path.write_bytes(data)
    return str(path)


def iso_bytes(size=64 * 1024):
    data = bytearray(size)
    data[0x8000:0x8006] = b'\x01CD001'  # primary volume descriptor
    return data


# -- detection of what qemu-img writes ----------------------------------
@requires_qemu_img
@pytest.mark.parametrize('fmt,expected,options', [
    ('raw', 'raw', ()),
    ('qcow2', 'qcow2', ()),
    ('qcow2', 'qcow2', ('-o', 'compat=0.10')),  # qcow2 version 2
    ('vmdk', 'vmdk', ()),
    ('vpc', 'vhd', ()),
    ('vpc', 'vhd', ('-o', 'subformat=fixed')),
    ('vhdx', 'vhdx', ()),
    ('vdi', 'vdi', ()),
    ('qed', 'qed', ()),
    ('parallels', 'parallels', ()),
])
def test_formats_written_by_qemu_img(tmp_path, fmt, expected, options):
    path = qemu_img_create(tmp_path / f'disk.{fmt}', fmt, '16M', *options)

    info = fi.inspect(path)

    assert (info.format, info.matches) == (
        expected, () if expected == 'raw' else (expected,))
    assert not info.references_other_files
    fi.check(info, expected)


@requires_qemu_img
def test_qcow2_virtual_size(tmp_path):
    path = qemu_img_create(tmp_path / 'disk.qcow2', 'qcow2', '3G')
    assert fi.inspect(path).virtual_size == 3 * 1024 * MiB


@requires_qemu_img
def test_luks(tmp_path):
    path = qemu_img_create(tmp_path / 'disk.luks', 'luks', '16M',
                           '--object', 'secret,id=sec0,data=secret',
                           '-o', 'key-secret=sec0,iter-time=10')
    assert fi.inspect(path).format == 'luks'
    with pytest.raises(exception.UnsafeDiskImage, match='contents are luks'):
        fi.check_file(path, 'raw')


def test_iso_is_detected_and_readable_as_raw(tmp_path):
    path = write(tmp_path / 'cd.iso', iso_bytes())

    info = fi.check_file(path, 'iso')

    assert info.format == 'iso'
    fi.check(info, 'raw')  # qemu reads an ISO as raw bytes


@pytest.mark.parametrize('create_type,message', [
    ('monolithicFlat', 'type monolithicFlat name other files'),
    ('monolithicSparse', 'descriptor file has its data in other files'),
])
def test_vmdk_descriptor_file_naming_a_host_file_is_refused(
        tmp_path, create_type, message):
    # Whatever type it claims, a bare descriptor has its data elsewhere.
    path = write(tmp_path / 'disk.vmdk', b'# Disk DescriptorFile\n'
                 b'createType="' + create_type.encode() + b'"\n'
                 b'RW 2048 FLAT "/etc/shadow" 0\n')

    info = fi.inspect(path)

    assert (info.format, info.vmdk_create_type) == ('vmdk', create_type)
    assert info.references_other_files
    with pytest.raises(exception.UnsafeDiskImage, match=message):
        fi.check(info, 'vmdk')


@requires_qemu_img
@pytest.mark.parametrize('subformat,accepted', [
    ('monolithicSparse', True),
    ('streamOptimized', True),
    ('monolithicFlat', False),
    ('twoGbMaxExtentSparse', False),
])
def test_vmdk_subformats(tmp_path, subformat, accepted):
    path = qemu_img_create(tmp_path / 'disk.vmdk', 'vmdk', '16M',
                           '-o', f'subformat={subformat}')

    info = fi.inspect(path)

    assert info.vmdk_create_type == subformat
    if accepted:
        assert info.virtual_size == 16 * MiB
        fi.check(info, 'vmdk')
    else:
        with pytest.raises(exception.UnsafeDiskImage, match=subformat):
            fi.check(info, 'vmdk')


def test_vmdk_with_a_parent_is_refused(tmp_path):
    descriptor = (b'# Disk DescriptorFile\ncreateType="monolithicSparse"\n'
                  b'parentFileNameHint="/var/lib/other/base.vmdk"\n')
    header = struct.pack('<4sIIQQQQ', b'KDMV', 1, 3, 32768, 128, 1, 1)
    path = write(tmp_path / 'child.vmdk',
                 header.ljust(512, b'\0') + descriptor.ljust(512, b'\0'))

    info = fi.inspect(path)

    assert info.backing_file == '/var/lib/other/base.vmdk'
    with pytest.raises(exception.UnsafeDiskImage,
                       match='vmdk images with a backing file'):
        fi.check(info, 'vmdk')


def test_empty_and_unknown_data_is_raw(tmp_path):
    assert fi.inspect(write(tmp_path / 'empty', b'')).format == 'raw'
    info = fi.inspect(write(tmp_path / 'zeros', b'', size=MiB))
    assert (info.format, info.virtual_size) == ('raw', MiB)


# -- the refusals -----------------------------------------------------------
@requires_qemu_img
def test_qcow2_with_a_backing_file_made_by_qemu_img(tmp_path):
    path = qemu_img_create(tmp_path / 'evil.qcow2', 'qcow2', '16M',
                           '-b', '/etc/hostname', '-F', 'raw')

    info = fi.inspect(path)

    assert info.backing_file == '/etc/hostname'
    with pytest.raises(exception.UnsafeDiskImage, match='backing file'):
        fi.check(info, 'qcow2')


@requires_qemu_img
def test_qcow2_with_an_external_data_file_made_by_qemu_img(tmp_path):
    path = qemu_img_create(tmp_path / 'evil.qcow2', 'qcow2', '16M',
                           '-o', f'data_file={tmp_path / "data.raw"}')

    info = fi.inspect(path)

    assert info.data_file
    assert info.data_file_name == str(tmp_path / 'data.raw')
    with pytest.raises(exception.UnsafeDiskImage, match='data file'):
        fi.check(info, 'qcow2')


def test_crafted_qcow2_with_the_data_file_bit_alone(tmp_path):
    # No file name extension: qemu would still look for a data file.
    path = write(tmp_path / 'evil', qcow2_header(incompatible=1 << 2),
                 size=MiB)
    with pytest.raises(exception.UnsafeDiskImage, match='data file'):
        fi.check_file(path, 'qcow2')


def test_crafted_qcow2_with_a_data_file_extension_alone(tmp_path):
    name = b'/dev/sda'
    ext = struct.pack('>II', 0x44415441, len(name)) + name.ljust(8, b'\0')
    path = write(tmp_path / 'evil', qcow2_header(extensions=ext), size=MiB)

    info = fi.inspect(path)

    assert (info.data_file, info.data_file_name) == (True, '/dev/sda')


def test_crafted_qcow2_with_a_backing_file(tmp_path):
    path = write(tmp_path / 'evil', qcow2_header(backing=b'/etc/shadow'),
                 size=MiB)

    info = fi.inspect(path)

    assert info.backing_file == '/etc/shadow'
    with pytest.raises(exception.UnsafeDiskImage, match='backing file'):
        fi.check(info, 'qcow2')


def test_raw_that_is_really_qcow2_is_refused(tmp_path):
    # The classic attack: upload as "raw" a qcow2 naming a host file.
    path = write(tmp_path / 'evil.raw', qcow2_header(backing=b'/etc/shadow'),
                 size=MiB)
    with pytest.raises(exception.UnsafeDiskImage,
                       match='not a valid raw image: its contents are qcow2'):
        fi.check_file(path, 'raw')


@requires_qemu_img
def test_vmdk_declared_raw_is_refused(tmp_path):
    path = qemu_img_create(tmp_path / 'disk.vmdk', 'vmdk')
    with pytest.raises(exception.UnsafeDiskImage, match='contents are vmdk'):
        fi.check_file(path, 'raw')


def test_iso_declared_qcow2_is_refused(tmp_path):
    path = write(tmp_path / 'cd.iso', iso_bytes())
    with pytest.raises(exception.UnsafeDiskImage, match='contents are iso'):
        fi.check_file(path, 'qcow2')


def test_raw_declared_qcow2_is_refused(tmp_path):
    path = write(tmp_path / 'disk', b'', size=MiB)
    with pytest.raises(exception.UnsafeDiskImage, match='contents are raw'):
        fi.check_file(path, 'qcow2')


def test_polyglot_iso_and_qcow2_is_refused(tmp_path):
    data = iso_bytes()
    header = qcow2_header()
    data[:len(header)] = header
    path = write(tmp_path / 'polyglot', data)

    info = fi.inspect(path)

    assert info.matches == ('iso', 'qcow2')
    for declared in ('qcow2', 'iso', 'raw'):
        with pytest.raises(exception.UnsafeDiskImage,
                           match=r'several formats at once \(iso, qcow2\)'):
            fi.check(info, declared)


def test_truncated_qcow2_header_is_refused(tmp_path):
    path = write(tmp_path / 'short', b'QFI\xfb\0\0\0\3')
    with pytest.raises(exception.UnsafeDiskImage, match='truncated'):
        fi.inspect(path)


def test_absurd_backing_name_length_is_refused(tmp_path):
    header = bytearray(qcow2_header(backing=b'x'))
    struct.pack_into('>I', header, 16, 1 << 30)  # backing_file_size
    path = write(tmp_path / 'evil', header, size=MiB)
    with pytest.raises(exception.UnsafeDiskImage, match='too long'):
        fi.inspect(path)


# -- backing files in our own image cache --------------------------------
def test_backing_file_in_the_trusted_directory_is_accepted(tmp_path):
    base = tmp_path / '_base'
    base.mkdir()
    write(base / 'cached', b'', size=MiB)
    overlay = write(tmp_path / 'disk',
                    qcow2_header(backing=str(base / 'cached').encode()),
                    size=MiB)

    fi.check_file(overlay, 'qcow2', trusted_backing_dir=str(base))


@pytest.mark.parametrize('backing', [
    '/etc/shadow',
    '{base}/../../etc/shadow',
    'json:{{"file.filename": "/etc/shadow"}}',
])
def test_backing_file_escaping_the_trusted_directory_is_refused(
        tmp_path, backing):
    base = tmp_path / '_base'
    base.mkdir()
    name = backing.format(base=base).encode()
    overlay = write(base / 'disk', qcow2_header(backing=name), size=MiB)
    with pytest.raises(exception.UnsafeDiskImage, match='backing file'):
        fi.check_file(overlay, 'qcow2', trusted_backing_dir=str(base))
