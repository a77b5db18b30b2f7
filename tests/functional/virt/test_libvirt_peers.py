"""Files travelling through libvirtd's storage streams (peers.py), as
the moves between hosts use them, against a real libvirtd."""

from __future__ import annotations

import os

import libvirt
import pytest

from nova import exception
from nova.virt.libvirt import peers


@pytest.fixture
def pool(libvirt_daemon, tmp_path):
    conn = libvirt.open(libvirt_daemon.uri)
    directory = tmp_path / 'pool'
    directory.mkdir()
    name = peers.pool_name('test', os.path.basename(tmp_path))
    yield conn, peers.open_pool(conn, name, str(directory)), directory
    peers.close_pool(conn, name)
    conn.close()


def test_upload_then_download_gives_the_same_bytes(pool, tmp_path):
    conn, storage, directory = pool
    source = tmp_path / 'kernel'
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    peers.upload(conn, storage, str(source), name='cache-kernel')
    assert (directory / 'cache-kernel').read_bytes() == source.read_bytes()
    back = tmp_path / 'back'
    peers.download(conn, storage, 'cache-kernel', str(back))
    assert back.read_bytes() == source.read_bytes()


def test_a_download_keeps_the_holes_of_a_sparse_file(pool, tmp_path):
    conn, storage, directory = pool
    sparse = directory / 'disk'
    with open(sparse, 'wb') as f:
        f.write(b'head')
        f.seek(64 * 1024 * 1024)
        f.write(b'tail')
        f.truncate(128 * 1024 * 1024)  # ends in a hole
    storage.refresh(0)
    copy = tmp_path / 'copy'
    peers.download(conn, storage, 'disk', str(copy))
    assert copy.stat().st_size == sparse.stat().st_size
    with open(copy, 'rb') as f:
        assert f.read(4) == b'head'
        f.seek(64 * 1024 * 1024)
        assert f.read(4) == b'tail'
    # Holes stay holes: far fewer blocks than bytes.
    assert copy.stat().st_blocks * 512 < 8 * 1024 * 1024


def test_a_volume_is_created_thin(pool):
    _conn, storage, directory = pool
    peers.create_volume(storage, 'disk', 'qcow2', 1024 ** 3)
    assert (directory / 'disk').stat().st_blocks * 512 < 16 * 1024 * 1024


def test_an_unreachable_peer_is_named_in_the_error():
    with pytest.raises(exception.VirtDriverError, match='compute-9'):
        with peers.connection('qemu+unix:///system?socket=/nonexistent',
                              'compute-9'):
            pass
