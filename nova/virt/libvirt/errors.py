"""libvirt errors -> nova exceptions, in one place.

The libvirt test driver reports most wrong-state calls as internal errors,
so guest.py checks power states itself; what reaches here is mapped by
error code only.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any
from typing import TypeVar

import libvirt

from nova import exception

_F = TypeVar('_F', bound=Callable[..., Any])


def is_no_domain(err: libvirt.libvirtError) -> bool:
    return err.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN


@contextlib.contextmanager
def translate(operation: str, instance_uuid: str) -> Iterator[None]:
    try:
        yield
    except libvirt.libvirtError as e:
        code = e.get_error_code()
        message = e.get_error_message() or str(e)
        if code == libvirt.VIR_ERR_NO_DOMAIN:
            raise exception.InstanceNotFound(instance_id=instance_uuid) from e
        if code == libvirt.VIR_ERR_OPERATION_INVALID:
            raise exception.InstanceInvalidState(
                message=f"Cannot '{operation}' instance {instance_uuid}: "
                        f'{message}', action=operation,
                instance_uuid=instance_uuid) from e
        if code == libvirt.VIR_ERR_NO_SUPPORT:
            raise exception.DriverOperationNotSupported(
                operation=operation, driver='libvirt') from e
        raise exception.VirtDriverError(
            operation=operation, instance_uuid=instance_uuid,
            reason=message) from e


def translated(operation: str) -> Callable[[_F], _F]:
    """Run a driver method under ``translate(operation, instance.uuid)``."""
    def decorate(fn: _F) -> _F:
        @functools.wraps(fn)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            instance = kwargs.get('instance') or next(
                (a for a in args if hasattr(a, 'uuid')), None)
            with translate(operation, getattr(instance, 'uuid', '-')):
                return fn(self, *args, **kwargs)
        return wrapper  # type: ignore[return-value]
    return decorate
