"""Image cache and instance disks, with real qemu-img on tiny images."""

import json
import os
import subprocess
import threading

import pytest

from nova import exception
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import qemu_img
from tests.unit.virt import factories
from tests.unit.virt.conftest import requires_qemu_img

pytestmark = requires_qemu_img

MiB = 1024 ** 2
GiB = 1024 ** 3


def qemu_info(path):
    out = subprocess.run(['qemu-img', 'info', '--output=json', path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


@pytest.fixture
def env(tmp_path, flags):
    flags('libvirt', instances_path=str(tmp_path / 'instances'))
    api = factories.DirImageAPI(str(tmp_path / 'images'))
    for fmt in ('qcow2', 'raw'):
        image = factories.make_disk_image(str(tmp_path / f'tiny.{fmt}'),
                                          fmt, '16M')
        api.add(f'image-{fmt}', image)
    cache = imagebackend.ImageCache(str(tmp_path / 'instances' / '_base'),
                                    api)
    instance_dir = tmp_path / 'instances' / 'uuid-1'
    instance_dir.mkdir(parents=True)
    return api, cache, str(instance_dir)


def create(env, fmt='qcow2', images_type='qcow2', **flavor):
    api, cache, instance_dir = env
    instance = factories.make_instance(
        flavor=factories.make_flavor(**flavor))
    meta = factories.make_image_meta(id=f'image-{fmt}', disk_format=fmt)
    return imagebackend.create_instance_disks(cache, None, instance, meta,
                                              instance_dir, images_type)


@pytest.mark.parametrize('fmt', ['qcow2', 'raw'])
def test_qcow2_overlay_over_the_cached_image(env, fmt):
    api, cache, instance_dir = env
    (root,) = create(env, fmt, root_gb=1)
    assert root == imagebackend.Disk('disk',
                                     os.path.join(instance_dir, 'disk'),
                                     'qcow2')
    info = qemu_info(root.path)
    assert info['format'] == 'qcow2'
    assert info['virtual-size'] == 1 * GiB  # grown to root_gb
    assert info['backing-filename'] == cache.path_for(f'image-{fmt}')
    assert info['backing-filename-format'] == fmt  # pinned, not probed


def test_root_gb_zero_keeps_the_image_size(env):
    (root,) = create(env, root_gb=0)
    assert qemu_info(root.path)['virtual-size'] == 16 * MiB


def test_flavor_disk_smaller_than_image_is_refused(env, tmp_path):
    api, cache, instance_dir = env
    big = factories.make_disk_image(str(tmp_path / 'big.qcow2'), 'qcow2',
                                    '2G')
    api.add('image-big', big)
    instance = factories.make_instance()  # root_gb=1
    meta = factories.make_image_meta(id='image-big')
    with pytest.raises(exception.FlavorDiskTooSmall):
        imagebackend.create_instance_disks(cache, None, instance, meta,
                                           instance_dir, 'qcow2')


def test_raw_images_type_makes_a_full_copy(env):
    (root,) = create(env, 'qcow2', images_type='raw', root_gb=1)
    assert root.format == 'raw'
    info = qemu_info(root.path)
    assert info['format'] == 'raw' and 'backing-filename' not in info
    assert info['virtual-size'] == 1 * GiB


def test_ephemeral_and_swap_disks(env):
    root, eph, swap = create(env, root_gb=1, ephemeral_gb=1, swap=64)
    assert (eph.name, swap.name) == ('disk.eph0', 'disk.swap')
    assert qemu_info(eph.path)['virtual-size'] == 1 * GiB
    assert qemu_info(swap.path)['virtual-size'] == 64 * MiB


def test_iso_images_become_a_cdrom_beside_a_blank_root(env, tmp_path):
    api, cache, instance_dir = env
    iso = tmp_path / 'tiny.iso'
    iso.write_bytes(b'\0' * 4096)
    api.add('image-iso', str(iso))
    instance = factories.make_instance()
    meta = factories.make_image_meta(id='image-iso', disk_format='iso')
    root, cdrom = imagebackend.create_instance_disks(
        cache, None, instance, meta, instance_dir, 'qcow2')
    assert cdrom.device == 'cdrom' and cdrom.format == 'raw'
    assert cdrom.path == cache.path_for('image-iso')
    assert 'backing-filename' not in qemu_info(root.path)


def test_each_image_is_downloaded_once_even_concurrently(env):
    api, cache, _ = env
    paths = []
    threads = [threading.Thread(
        target=lambda: paths.append(cache.fetch(None, 'image-qcow2',
                                                'qcow2')))
        for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert api.downloads['image-qcow2'] == 1
    assert set(paths) == {cache.path_for('image-qcow2')}
    assert not os.path.exists(cache.path_for('image-qcow2') + '.part')


def test_cache_file_names_do_not_come_from_user_input(env):
    _, cache, _ = env
    path = cache.path_for('../../etc/passwd')
    assert os.path.dirname(path) == cache.base_dir


def test_missing_image(env):
    _, cache, _ = env
    with pytest.raises(exception.ImageNotFound):
        cache.fetch(None, 'nope', 'qcow2')


def test_no_image_api_is_a_clear_error(tmp_path):
    cache = imagebackend.ImageCache(str(tmp_path), None)
    with pytest.raises(exception.VirtDriverError, match='no image API'):
        cache.fetch(None, 'image-1')


def test_image_with_a_backing_file_is_refused(env, tmp_path):
    api, cache, _ = env
    evil = tmp_path / 'evil.qcow2'
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b',
                    '/etc/hostname', '-F', 'raw', str(evil), '16M'],
                   check=True)
    api.add('image-evil', str(evil))
    with pytest.raises(exception.ImageUnacceptable, match='backing file'):
        cache.fetch(None, 'image-evil', 'qcow2')
    assert not os.path.exists(cache.path_for('image-evil'))


def test_image_that_is_not_its_declared_format_is_refused(env):
    api, cache, _ = env
    # Declared qcow2 but raw data: qemu-img reading it as qcow2 fails, and
    # that is the image's fault, not the hypervisor's.
    with pytest.raises(exception.ImageUnacceptable,
                       match='qcow2 image'):
        cache.fetch(None, 'image-raw', 'qcow2')
    assert not os.path.exists(cache.path_for('image-raw'))


@pytest.mark.parametrize('meta,reason', [
    ({'disk_format': 'vmdk'}, 'disk format vmdk'),
    ({'container_format': 'ovf'}, 'container format ovf')])
def test_unsupported_image_formats(env, meta, reason):
    api, cache, instance_dir = env
    image_meta = factories.make_image_meta(**meta)
    with pytest.raises(exception.ImageUnacceptable, match=reason):
        imagebackend.create_instance_disks(
            cache, None, factories.make_instance(), image_meta, instance_dir,
            'qcow2')


def test_kernel_boot_fetches_kernel_and_initrd_images(env, tmp_path):
    api, cache, _ = env
    for name in ('kernel', 'initrd'):
        (tmp_path / name).write_bytes(name.encode())
        api.add(f'image-{name}', str(tmp_path / name))
    assert imagebackend.kernel_boot(cache, None,
                                    factories.make_image_meta()) is None
    meta = factories.make_image_meta(properties={
        'kernel_id': 'image-kernel', 'ramdisk_id': 'image-initrd',
        'os_command_line': 'console=ttyS0 panic=-1'})
    boot = imagebackend.kernel_boot(cache, None, meta)
    assert open(boot.kernel, 'rb').read() == b'kernel'
    assert open(boot.initrd, 'rb').read() == b'initrd'
    assert boot.cmdline == 'console=ttyS0 panic=-1'


def test_qemu_img_runs_under_resource_limits(flags, tmp_path):
    # An address-space limit too small for qemu-img to even start proves
    # the limit is applied.
    flags('libvirt', qemu_img_memory_limit_mb=16)
    disk = factories.make_disk_image(str(tmp_path / 'd.qcow2'))
    with pytest.raises(exception.VirtDriverError, match='qemu-img info'):
        qemu_img.info(disk, 'qcow2')


def test_qemu_img_refuses_unpinned_formats(tmp_path):
    with pytest.raises(ValueError):
        qemu_img.info(str(tmp_path / 'x'), 'vmdk')
