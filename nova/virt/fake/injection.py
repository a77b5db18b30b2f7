"""Failure and latency injection of the fake driver (``[fake_driver]``).

Options are read on every call, so a test (or a SIGHUP reload: they are
mutable) changes the behaviour of running services.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any
from typing import TypeVar

from nova import conf as nova_conf
from nova import exception
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance

CONF = nova_conf.CONF

_FRACTION_BUCKETS = 10_000

_F = TypeVar('_F', bound=Callable[..., Any])


def _fail(operation: str, instance_uuid: str, why: str) -> None:
    raise exception.VirtDriverError(
        operation=operation, instance_uuid=instance_uuid,
        reason=f'failure injected by [fake_driver] {why}')


def _in_fraction(instance_uuid: str, host: str, fraction: float) -> bool:
    # Hash of uuid and host: reproducible, yet a rescheduled build lands
    # in a different bucket on another host.
    digest = hashlib.sha256(f'{instance_uuid}@{host}'.encode()).digest()
    bucket = int.from_bytes(digest[:8], 'big') % _FRACTION_BUCKETS
    return bucket < fraction * _FRACTION_BUCKETS


def before_spawn(instance: Instance, image_meta: ImageMeta,
                 host: str) -> None:
    """Wait ``spawn_delay``, then fail if an injection option says so."""
    opts = CONF.fake_driver
    if opts.spawn_delay:
        time.sleep(opts.spawn_delay)
    if host in opts.fail_spawn_on_hosts:
        _fail('spawn', instance.uuid, f'fail_spawn_on_hosts includes {host}')
    image_keys = {str(image_meta.get('id') or ''),
                  str(image_meta.get('name') or '')} - {''}
    hit = image_keys & set(opts.fail_spawn_for_images)
    if hit:
        _fail('spawn', instance.uuid,
              f'fail_spawn_for_images includes {sorted(hit)[0]}')
    if opts.fail_spawn_fraction and _in_fraction(
            instance.uuid, host, opts.fail_spawn_fraction):
        _fail('spawn', instance.uuid,
              f'fail_spawn_fraction {opts.fail_spawn_fraction} picked it')
    if 'spawn' in opts.fail_operations:
        _fail('spawn', instance.uuid, 'fail_operations includes spawn')


def before_operation(operation: str, instance_uuid: str) -> None:
    """Wait ``operation_delay``, then fail if ``fail_operations`` says so."""
    opts = CONF.fake_driver
    if opts.operation_delay:
        time.sleep(opts.operation_delay)
    if operation in opts.fail_operations:
        _fail(operation, instance_uuid,
              f'fail_operations includes {operation}')


def operation(name: str) -> Callable[[_F], _F]:
    """Decorate a driver method: ``before_operation(name, ...)`` first."""
    def decorate(fn: _F) -> _F:
        @functools.wraps(fn)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            instance = kwargs.get('instance') or next(
                (a for a in args if hasattr(a, 'uuid')), None)
            before_operation(name, getattr(instance, 'uuid', '-'))
            return fn(self, *args, **kwargs)
        return wrapper  # type: ignore[return-value]
    return decorate
