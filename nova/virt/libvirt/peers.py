"""Reaching another compute's libvirtd, to move guests between hosts.

Every compute announces how it is reached (``[libvirt]
migration_inbound_uri`` and ``migration_inbound_addr``); a live
migration's destination hands its values to the source, a cold
migration's source hands its own to the destination. Disks travel
through libvirt itself: a transient directory storage pool over the
directory that holds them, whose volumes the other side creates, uploads
or downloads over the libvirt connection. No shell access between hosts
is needed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from xml.sax.saxutils import escape

import libvirt
from oslo_log import log as logging

from nova import conf as nova_conf
from nova import exception

LOG = logging.getLogger(__name__)
CONF = nova_conf.CONF

def inbound_addr() -> str:
    return CONF.libvirt.migration_inbound_addr or CONF.host


def inbound_uri() -> str:
    return (CONF.libvirt.migration_inbound_uri
            or f'qemu+tcp://{inbound_addr()}/system')


@contextlib.contextmanager
def connection(uri: str, host: str) -> Iterator[libvirt.virConnect]:
    """A connection to the libvirtd of ``host`` (for messages) at ``uri``."""
    try:
        conn = libvirt.open(uri)
    except libvirt.libvirtError as e:
        raise exception.VirtDriverError(
            operation='migration', instance_uuid='-',
            reason=f'cannot reach the libvirtd of {host} at {uri}: '
                   f'{e.get_error_message()}') from e
    try:
        yield conn
    finally:
        with contextlib.suppress(libvirt.libvirtError):
            conn.close()


def pool_name(purpose: str, instance_uuid: str) -> str:
    return f'nova-{purpose}-{instance_uuid}'


def open_pool(conn: libvirt.virConnect, name: str,
              path: str) -> libvirt.virStoragePool:
    """A transient dir pool ``name`` over ``path`` (a leftover one of the
    same name, from a process that died, is replaced)."""
    close_pool(conn, name)
    xml = (f"<pool type='dir'><name>{escape(name)}</name>"
           f"<target><path>{escape(path)}</path></target></pool>")
    return conn.storagePoolCreateXML(xml, 0)


def close_pool(conn: libvirt.virConnect, name: str) -> None:
    """Stop pool ``name`` if it exists; its files stay."""
    try:
        pool = conn.storagePoolLookupByName(name)
    except libvirt.libvirtError:
        return
    with contextlib.suppress(libvirt.libvirtError):
        pool.destroy()


def create_volume(pool: libvirt.virStoragePool, name: str, fmt: str,
                  capacity: int) -> None:
    """A blank, thin volume (libvirt would otherwise allocate it all)."""
    pool.createXML(
        f"<volume><name>{escape(name)}</name><capacity>{capacity}</capacity>"
        f"<allocation>0</allocation><target><format type='{fmt}'/>"
        f"</target></volume>", 0)


def download(conn: libvirt.virConnect, pool: libvirt.virStoragePool,
             name: str, target: str) -> None:
    """Copy volume ``name`` of ``pool`` into the local file ``target``,
    keeping its holes."""
    vol = pool.storageVolLookupByName(name)
    stream = conn.newStream(0)
    flags = libvirt.VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM
    vol.download(stream, 0, 0, flags)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        def write(_stream: object, data: bytes, _fd: int) -> int:
            return os.write(_fd, data)

        def hole(_stream: object, length: int, _fd: int) -> int:
            os.lseek(_fd, length, os.SEEK_CUR)
            return 0

        stream.sparseRecvAll(write, hole, fd)
        # A file ending in a hole needs its length set explicitly.
        os.ftruncate(fd, os.lseek(fd, 0, os.SEEK_CUR))
        stream.finish()
    except BaseException:
        with contextlib.suppress(libvirt.libvirtError):
            stream.abort()
        raise
    finally:
        os.close(fd)


def upload(conn: libvirt.virConnect, pool: libvirt.virStoragePool,
           source: str, name: str) -> None:
    """Copy the local file ``source`` into a new raw volume ``name`` of
    ``pool`` (kernels, initrds and ISOs: not sparse)."""
    size = os.path.getsize(source)
    create_volume(pool, name, 'raw', size)
    vol = pool.storageVolLookupByName(name)
    stream = conn.newStream(0)
    vol.upload(stream, 0, size, 0)
    with open(source, 'rb') as f:
        try:
            stream.sendAll(lambda _s, nbytes, _f: _f.read(nbytes), f)
            stream.finish()
        except BaseException:
            with contextlib.suppress(libvirt.libvirtError):
                stream.abort()
            raise
