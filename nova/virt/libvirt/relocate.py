"""A guest's definition made for another host.

Hosts differ in ``[libvirt] instances_path`` and in their VNC listen
address, so a definition moving between them has its file paths and its
graphics rewritten. The files a guest uses from the source's image cache
(a kernel, an initrd, an ISO) travel with it into its instance directory
on the destination, as ``cache-<name>``: the destination needs neither
the image service nor the same cache.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import TYPE_CHECKING

from nova import exception
from nova.virt.contract import Instance
from nova.virt.libvirt import peers

if TYPE_CHECKING:
    from nova.virt.libvirt.driver import LibvirtDriver

CACHE_PREFIX = 'cache-'


def make_instance_dir(path: str, host: str, instance_uuid: str,
                      operation: str) -> None:
    """Create the arriving guest's directory, which must not exist: if it
    does, the source's is shared with this host (never done here: the
    disks are copied) or a failed move left it."""
    if os.path.exists(path):
        raise exception.VirtDriverError(
            operation=operation, instance_uuid=instance_uuid,
            reason=f'{path} already exists on {host}: [libvirt] '
                   f'instances_path is shared with the source (the '
                   f'libvirt driver copies disks, it does not share them) '
                   f'or holds what a failed move left; remove it')
    os.makedirs(path)


def remove_instance(drv: LibvirtDriver, instance: Instance,
                    pool_purpose: str) -> None:
    """The guest gone from this host: its pool for the move, its domain
    and its directory (the end of a confirmed move on the source, of a
    failed one on the destination)."""
    peers.close_pool(drv.host.get_connection(),
                     peers.pool_name(pool_purpose, instance.uuid))
    with contextlib.suppress(exception.InstanceNotFound):
        drv.guest(instance).remove()
    shutil.rmtree(drv.instance_dir(instance.uuid), ignore_errors=True)


def _path_holders(domain: ET.Element) -> Iterator[tuple[ET.Element, str]]:
    """(element, attribute or '' for its text) of every host file path."""
    for el in domain.iterfind('os/kernel'):
        yield el, ''
    for el in domain.iterfind('os/initrd'):
        yield el, ''
    for el in domain.iterfind('os/loader'):
        yield el, ''
    for el in domain.iterfind('devices//source'):
        for attr in ('file', 'path'):
            if el.get(attr):
                yield el, attr


def _get(el: ET.Element, attr: str) -> str:
    return (el.get(attr) if attr else el.text) or ''


def files_outside(definition: str, instance_dir: str) -> list[str]:
    """Host files the guest uses that are not in its instance directory,
    firmware of the QEMU installation left out (every host has it)."""
    inside = instance_dir.rstrip(os.sep) + os.sep
    domain = ET.fromstring(definition)
    found = []
    for el, attr in _path_holders(domain):
        path = _get(el, attr).strip()
        if el.tag == 'loader' or not path or path.startswith(inside):
            continue
        if path not in found:
            found.append(path)
    return found


def travel_name(path: str) -> str:
    """The name a file from outside the instance directory takes in it."""
    return CACHE_PREFIX + os.path.basename(path)


def relocated(definition: str, source_dir: str, dest_dir: str,
              graphics_listen: str | None) -> str:
    """``definition`` with ``source_dir``'s files in ``dest_dir``, the
    files from outside it under their travel names, and VNC listening on
    ``graphics_listen`` (none when it is None)."""
    inside = source_dir.rstrip(os.sep) + os.sep
    domain = ET.fromstring(definition)
    for el, attr in _path_holders(domain):
        path = _get(el, attr).strip()
        if not path or el.tag == 'loader':
            continue
        if path.startswith(inside):
            new = os.path.join(dest_dir, path[len(inside):])
        else:
            new = os.path.join(dest_dir, travel_name(path))
        if attr:
            el.set(attr, new)
        else:
            el.text = new
    devices = domain.find('devices')
    if devices is not None:
        for graphics in devices.findall('graphics[@type="vnc"]'):
            if graphics_listen is None:
                devices.remove(graphics)
                continue
            graphics.set('listen', graphics_listen)
            for listen in graphics.findall('listen'):
                listen.set('address', graphics_listen)
    return ET.tostring(domain, encoding='unicode')
