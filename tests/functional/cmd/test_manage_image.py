"""``nova-manage image import``: inspect, then store, as operators run it.

The local store on a real database (records) and a real directory (data
files), and the Glance backend against a real Glance. The crafted images
of tests/unit/image are refused here too, leaving neither a record nor a
data file behind.
"""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest

from nova import context as nova_context
from nova.cmd.manage import CommandError
from nova.cmd.manage_image import ImageCommands
from nova.db.api import images as images_db
from nova.image import glance as glance_backend
from tests.fixtures import database
from tests.fixtures.conf import prepare_conf
from tests.fixtures.glance import glance  # noqa: F401
from tests.functional.cmd.test_manage_db import assert_clean_error
from tests.functional.cmd.test_manage_db import nova_manage
from tests.unit.image.test_format_inspector import iso_bytes
from tests.unit.image.test_format_inspector import qcow2_header
from tests.unit.image.test_format_inspector import write

MiB = 1024 * 1024


def qemu_img_create(path, fmt, size='16M', *options):
    subprocess.run(['qemu-img', 'create', '-q', '-f', fmt, *options,
                    str(path), size], check=True)
    return str(path)


def write_config(tmp_path, sections):
    lines = []
    for section, values in sections.items():
        lines.append(f'[{section}]')
        lines += [f'{key} = {value}' for key, value in values.items()]
    path = tmp_path / 'nova.conf'
    path.write_text('\n'.join(lines) + '\n')
    return path


@pytest.fixture
def state(tmp_path):
    path = tmp_path / 'state'
    path.mkdir()
    return path


@pytest.fixture
def local_config(db, tmp_path, state):
    return write_config(tmp_path, {'DEFAULT': {'state_path': state},
                                   'database': {'connection': db}})


@pytest.fixture
def in_process(db, state):
    """The command run in this process, on the same database and store."""
    conf = prepare_conf()
    conf.set_override('state_path', str(state))
    yield ImageCommands()
    conf.clear_override('state_path')


@pytest.fixture
def ctxt():
    return nova_context.get_admin_context()


def images(ctxt):
    return images_db.image_get_all(ctxt)


@pytest.mark.parametrize('backend', database.backend_params(
    database.SQLITE, database.POSTGRESQL))
def test_import_qcow2_into_the_local_store(local_config, state, tmp_path,
                                           ctxt):
    disk = qemu_img_create(tmp_path / 'cirros.qcow2', 'qcow2', '1G')
    data = open(disk, 'rb').read()

    result = nova_manage('image', 'import', disk, '--name', 'cirros',
                         '--property', 'os_distro=cirros',
                         '--property', 'hw_disk_bus=virtio',
                         '--min-disk', '1', config=local_config)

    assert result.returncode == 0, result
    [image] = images(ctxt)
    assert f'as image {image["id"]} (qcow2' in result.stdout
    assert (image['name'], image['status'], image['disk_format'],
            image['container_format'], image['visibility'],
            image['min_disk']) == ('cirros', 'active', 'qcow2', 'bare',
                                   'public', 1)
    assert image['size'] == len(data)
    assert image['virtual_size'] == 1024 * MiB
    assert image['checksum'] == hashlib.md5(data).hexdigest()
    assert (image['os_hash_algo'], image['os_hash_value']) == (
        'sha512', hashlib.sha512(data).hexdigest())
    assert image['properties'] == {'os_distro': 'cirros',
                                   'hw_disk_bus': 'virtio'}
    stored = state / 'images' / image['id']
    assert stored.read_bytes() == data
    assert os.listdir(state / 'images') == [image['id']]


def test_import_raw_and_iso_with_declared_formats(in_process, tmp_path,
                                                  ctxt):
    raw = write(tmp_path / 'disk.raw', b'', MiB)
    iso = write(tmp_path / 'cd.iso', iso_bytes())

    in_process._import(raw, name='raw', disk_format='raw',
                       visibility='private', project_id='demo')
    in_process._import(iso, name='iso')  # detected

    by_name = {image['name']: image for image in images(ctxt)}
    assert (by_name['raw']['disk_format'], by_name['raw']['visibility'],
            by_name['raw']['owner'], by_name['raw']['virtual_size']) == (
        'raw', 'private', 'demo', MiB)
    assert by_name['iso']['disk_format'] == 'iso'
    assert by_name['iso']['status'] == 'active'


# case -> (maker of the file in a directory, declared format, message)
CRAFTED = {
    'qcow2-backing-file': (lambda d: qemu_img_create(
        d / 'b.qcow2', 'qcow2', '16M', '-b', '/etc/hostname', '-F', 'raw'),
        None, 'backing file'),
    'qcow2-data-file': (lambda d: qemu_img_create(
        d / 'd.qcow2', 'qcow2', '16M', '-o', f'data_file={d / "d.raw"}'),
        'qcow2', 'data file'),
    'vmdk-declared-raw': (lambda d: qemu_img_create(d / 'v.vmdk', 'vmdk'),
                          'raw', 'contents are vmdk'),
    'raw-really-qcow2': (lambda d: write(d / 'r.raw', qcow2_header(
        backing=b'/etc/shadow'), MiB), 'raw', 'contents are qcow2'),
    'iso-declared-raw': (lambda d: write(d / 'cd.iso', iso_bytes()), 'raw',
                         'import it with --disk-format iso'),
    'iso-declared-qcow2': (lambda d: write(d / 'cd.iso', iso_bytes()),
                           'qcow2', 'contents are iso'),
    'luks': (lambda d: qemu_img_create(
        d / 'x.luks', 'luks', '16M', '--object', 'secret,id=s0,data=x',
        '-o', 'key-secret=s0,iter-time=10'), None,
        'luks image, which cannot be imported'),
}


@pytest.mark.parametrize('case', sorted(CRAFTED))
def test_crafted_images_are_refused(in_process, tmp_path, state, ctxt,
                                    case):
    make, declared, message = CRAFTED[case]
    path = make(tmp_path)

    with pytest.raises(Exception, match=message) as err:
        in_process._import(path, name=case, disk_format=declared)

    assert type(err.value).__name__ in ('UnsafeDiskImage', 'CommandError')
    assert images(ctxt) == []
    assert not (state / 'images').exists() or \
        os.listdir(state / 'images') == []


def test_refusal_is_one_clear_line(local_config, tmp_path, ctxt):
    evil = write(tmp_path / 'evil.raw', qcow2_header(backing=b'/etc/shadow'),
                 MiB)

    result = nova_manage('image', 'import', evil, '--name', 'evil',
                         config=local_config)
    missing = nova_manage('image', 'import', str(tmp_path / 'absent'),
                          '--name', 'x', config=local_config)

    assert_clean_error(result, 'backing file')
    assert_clean_error(missing, 'absent is not a file')
    assert images(ctxt) == []


def test_bad_property_is_refused(in_process, tmp_path, ctxt):
    raw = write(tmp_path / 'disk.raw', b'', MiB)
    with pytest.raises(CommandError, match='not KEY=VALUE'):
        in_process._import(raw, name='x', properties=['novalue'])
    assert images(ctxt) == []


def test_import_into_glance(glance, tmp_path, ctxt):  # noqa: F811
    disk = qemu_img_create(tmp_path / 'g.qcow2', 'qcow2', '64M')
    data = open(disk, 'rb').read()
    config = write_config(tmp_path, {
        'image': {'backend': 'glance'},
        'glance': {'api_servers': glance.url}})

    result = nova_manage('image', 'import', disk, '--name', 'from-manage',
                         '--property', 'os_distro=debian', config=config)

    assert result.returncode == 0, result
    status, listed = glance.request('GET', '/v2/images?name=from-manage')
    [image] = listed['images']
    assert (image['status'], image['disk_format'], image['visibility'],
            image['os_distro']) == ('active', 'qcow2', 'public', 'debian')
    assert image['checksum'] == hashlib.md5(data).hexdigest()
    assert image['virtual_size'] == 64 * MiB  # Glance's own inspection
    conf = prepare_conf()
    conf.set_override('api_servers', [glance.url], 'glance')
    try:
        glance_backend.GlanceClient().download(ctxt, image['id'],
                                               str(tmp_path / 'back'))
    finally:
        conf.clear_override('api_servers', 'glance')
    assert (tmp_path / 'back').read_bytes() == data
