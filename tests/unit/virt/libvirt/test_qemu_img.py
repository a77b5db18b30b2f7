"""qemu_img: the format inspector runs first, qemu-img runs pinned/limited.

Each refusal is checked with qemu-img's memory limit set so low that
qemu-img cannot even start: a refusal (UnsafeDiskImage) rather than a
qemu-img failure (VirtDriverError) proves the file was refused before
qemu-img ever saw it.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from nova import exception
from nova.virt.libvirt import qemu_img
from tests.unit.image.test_format_inspector import iso_bytes
from tests.unit.image.test_format_inspector import qcow2_header
from tests.unit.image.test_format_inspector import write
from tests.unit.virt.conftest import requires_qemu_img

pytestmark = requires_qemu_img

MiB = 1024 * 1024


def make(path, fmt, size='16M', *options):
    subprocess.run(['qemu-img', 'create', '-q', '-f', fmt, *options,
                    str(path), size], check=True)
    return str(path)


@pytest.fixture
def no_qemu_img(flags):
    """qemu-img cannot run at all: only the inspector can answer."""
    flags('libvirt', qemu_img_memory_limit_mb=16)


@pytest.fixture
def instances(flags, tmp_path):
    path = tmp_path / 'instances'
    (path / '_base').mkdir(parents=True)
    flags('libvirt', instances_path=str(path))
    return path


def crafted_images(tmp_path):
    """(name, path, declared format, expected message) of each attack."""
    evil_backing = qcow2_header(backing=b'/etc/shadow')
    return [
        ('qcow2-backing-file',
         make(tmp_path / 'b.qcow2', 'qcow2', '16M', '-b', '/etc/hostname',
              '-F', 'raw'), 'qcow2', 'backing file'),
        ('qcow2-data-file',
         make(tmp_path / 'd.qcow2', 'qcow2', '16M', '-o',
              f'data_file={tmp_path / "d.raw"}'), 'qcow2', 'data file'),
        ('vmdk-declared-raw', make(tmp_path / 'v.vmdk', 'vmdk'), 'raw',
         'contents are vmdk'),
        ('raw-really-qcow2', write(tmp_path / 'r.raw', evil_backing, MiB),
         'raw', 'contents are qcow2'),
        ('iso-declared-qcow2', write(tmp_path / 'cd.iso', iso_bytes()),
         'qcow2', 'contents are iso'),
        ('raw-declared-qcow2', write(tmp_path / 'zeros', b'', MiB), 'qcow2',
         'contents are raw'),
    ]


# Every qemu_img function that reads a file the user may have supplied.
CALLS = {
    'info': lambda path, fmt, tmp: qemu_img.info(path, fmt),
    'create_overlay': lambda path, fmt, tmp: qemu_img.create_overlay(
        str(tmp / 'overlay'), path, fmt),
    'convert': lambda path, fmt, tmp: qemu_img.convert(
        path, fmt, str(tmp / 'overlay'), 'raw'),
    'resize': lambda path, fmt, tmp: qemu_img.resize(path, fmt, 32 * MiB),
    'virtual_size': lambda path, fmt, tmp: qemu_img.virtual_size(path, fmt),
}


@pytest.mark.parametrize('call', sorted(CALLS))
def test_every_crafted_image_is_refused(tmp_path, instances, no_qemu_img,
                                        call):
    for name, path, fmt, message in crafted_images(tmp_path):
        with pytest.raises(exception.UnsafeDiskImage, match=message) as err:
            CALLS[call](path, fmt, tmp_path)
        assert isinstance(err.value, exception.ImageUnacceptable), name
        assert not os.path.exists(tmp_path / 'overlay'), name


def test_safe_images_still_work(tmp_path, instances):
    qcow2 = make(tmp_path / 'ok.qcow2', 'qcow2', '16M')
    iso = write(tmp_path / 'cd.iso', iso_bytes())

    assert qemu_img.info(qcow2, 'qcow2')['virtual-size'] == 16 * MiB
    assert qemu_img.info(iso, 'raw')['format'] == 'raw'  # an ISO is raw
    qemu_img.convert(qcow2, 'qcow2', str(tmp_path / 'out.raw'), 'raw')
    qemu_img.resize(str(tmp_path / 'out.raw'), 'raw', 32 * MiB)
    assert os.path.getsize(tmp_path / 'out.raw') == 32 * MiB


def test_snapshot_of_an_overlay_over_the_image_cache(tmp_path, instances):
    # An instance's root disk is a qcow2 over $instances_path/_base: its
    # backing file is ours, so converting it (a snapshot) is allowed...
    base = make(instances / '_base' / 'cached', 'raw', '16M')
    disk = str(instances / 'uuid-1' / 'disk')
    os.makedirs(os.path.dirname(disk))
    qemu_img.create_overlay(disk, base, 'raw')
    qemu_img.convert(disk, 'qcow2', str(tmp_path / 'snap'), 'qcow2')
    assert 'backing-filename' not in qemu_img.info(str(tmp_path / 'snap'),
                                                   'qcow2')

    # ...but info() (what checks a downloaded image) never allows one.
    with pytest.raises(exception.UnsafeDiskImage, match='backing file'):
        qemu_img.info(disk, 'qcow2')


def test_virtual_size_of_an_instance_disk_without_qemu_img(
        tmp_path, instances, no_qemu_img):
    # Read from the header alone: resize asks it of the overlays it grows.
    base = write(instances / '_base' / 'cached', b'', 16 * MiB)
    overlay = write(instances / 'uuid-3-disk',
                    qcow2_header(2 * 1024 * MiB, backing=base.encode()),
                    MiB)
    assert qemu_img.virtual_size(overlay, 'qcow2') == 2 * 1024 * MiB
    assert qemu_img.virtual_size(base, 'raw') == 16 * MiB
    with pytest.raises(exception.VirtDriverError, match='No such file'):
        qemu_img.virtual_size(str(tmp_path / 'absent'), 'qcow2')


def test_overlay_over_a_host_file_is_refused_for_convert(tmp_path,
                                                         instances,
                                                         no_qemu_img):
    evil = write(instances / 'uuid-2-disk',
                 qcow2_header(backing=b'/etc/shadow'), MiB)
    with pytest.raises(exception.UnsafeDiskImage, match='backing file'):
        qemu_img.convert(evil, 'qcow2', str(tmp_path / 'out'), 'qcow2')


def test_missing_file_is_a_clear_driver_error(tmp_path):
    with pytest.raises(exception.VirtDriverError,
                       match='No such file or directory'):
        qemu_img.info(str(tmp_path / 'absent'), 'qcow2')


def test_unpinned_formats_are_refused_before_anything(tmp_path):
    path = make(tmp_path / 'disk.vmdk', 'vmdk')
    with pytest.raises(ValueError, match='vmdk'):
        qemu_img.info(path, 'vmdk')
