"""``qemu-img`` runs, always with the format pinned and resource limits.

Images come from users: letting qemu-img probe a format would let a raw
image that looks like qcow2 name a host file as its backing file, and a
crafted header can make qemu-img eat memory or CPU. So every call names
the format and runs under ``prlimit`` (``[libvirt] qemu_img_*_limit``),
and every input file is first read by ``nova.image.format_inspector``:
a file whose contents are not its declared format, or a qcow2 with an
external data file or a backing file, raises ``UnsafeDiskImage`` before
qemu-img runs. The one backing file allowed is one in our own image cache
(``$instances_path/_base``), in ``convert``/``resize`` of an instance's
own overlay (a snapshot).
"""

from __future__ import annotations

import json
import os
from typing import Any

from oslo_concurrency import processutils

from nova import conf as nova_conf
from nova import exception
from nova.image import format_inspector

CONF = nova_conf.CONF

FORMATS = ('raw', 'qcow2')


def _limits(cpu_time: bool = True) -> processutils.ProcessLimits:
    # Converting a large image legitimately takes long: copies get the
    # memory limit only.
    opts = CONF.libvirt
    return processutils.ProcessLimits(
        address_space=opts.qemu_img_memory_limit_mb * 1024 * 1024,
        cpu_time=opts.qemu_img_cpu_time_limit if cpu_time else None)


def _run(*args: str, cpu_time: bool = True) -> str:
    try:
        out, _err = processutils.execute(
            'qemu-img', *args, prlimit=_limits(cpu_time),
            # glibc gives every qemu-img thread its own malloc arena of
            # reserved address space; under the address-space limit a
            # convert's worker threads then fail to start now and then.
            env_variables={'LC_ALL': 'C', 'LANG': 'C',
                           'MALLOC_ARENA_MAX': '2'})
    except processutils.ProcessExecutionError as e:
        raise _error(args, (e.stderr or e.stdout or str(e)).strip()) from e
    except OSError as e:  # qemu-img is not installed
        raise _error(args, str(e)) from e
    return out


def _error(args: tuple[str, ...], reason: str) -> exception.VirtDriverError:
    return exception.VirtDriverError(
        message=f'qemu-img {" ".join(args)} failed: {reason}',
        operation=f'qemu-img {args[0]}', instance_uuid='-', reason=reason)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f'disk format {fmt!r} is not one of {FORMATS}')


def _inspect(path: str, fmt: str,
             own_overlay: bool = False) -> format_inspector.ImageInfo:
    """Refuse an input file that is unsafe to hand to qemu-img as ``fmt``.

    ``own_overlay``: ``path`` may be one of our instance disks, whose
    backing file is in the image cache the libvirt driver keeps under
    ``$instances_path/_base``.
    """
    trusted = (os.path.join(CONF.libvirt.instances_path, '_base')
               if own_overlay else None)
    try:
        return format_inspector.check_file(path, fmt,
                                           trusted_backing_dir=trusted)
    except OSError as e:  # missing or unreadable: say so as qemu-img would
        raise _error(('inspect', path), str(e)) from e


def info(path: str, fmt: str) -> dict[str, Any]:
    """``qemu-img info`` of ``path`` read as ``fmt``."""
    _check_format(fmt)
    _inspect(path, fmt)
    return json.loads(_run('info', '-f', fmt, '--output=json', path))


def virtual_size(path: str, fmt: str) -> int:
    """Guest-visible bytes of one of our instance disks (an overlay over
    the image cache allowed), read from its header: no qemu-img run."""
    _check_format(fmt)
    found = _inspect(path, fmt, own_overlay=True).virtual_size
    if found is None:
        raise _error(('inspect', path), 'its virtual size is unknown')
    return found


def create_overlay(path: str, backing: str, backing_fmt: str,
                   size_bytes: int | None = None) -> None:
    """A qcow2 at ``path`` whose reads fall through to ``backing``."""
    _check_format(backing_fmt)
    _inspect(backing, backing_fmt)
    args = ['create', '-f', 'qcow2', '-b', backing, '-F', backing_fmt, path]
    if size_bytes:
        args.append(str(size_bytes))
    _run(*args)


def create_blank(path: str, fmt: str, size_bytes: int) -> None:
    _check_format(fmt)
    _run('create', '-f', fmt, path, str(size_bytes))


def convert(src: str, src_fmt: str, dst: str, dst_fmt: str) -> None:
    _check_format(src_fmt)
    _check_format(dst_fmt)
    _inspect(src, src_fmt, own_overlay=True)
    _run('convert', '-f', src_fmt, '-O', dst_fmt, src, dst, cpu_time=False)


def resize(path: str, fmt: str, size_bytes: int) -> None:
    _check_format(fmt)
    _inspect(path, fmt, own_overlay=True)
    _run('resize', '-f', fmt, path, str(size_bytes))
