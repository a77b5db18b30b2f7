"""The one place where errors become Compute API fault bodies.

A fault body has a single key named after the HTTP status
(``{"itemNotFound": {"code": 404, "message": "..."}}``). Messages of
exceptions that are not marked safe, and of anything that is not a
``NovaException``, are never shown: the client gets a generic 500 with no
traceback, and the log keeps the details.
"""

from __future__ import annotations

import http.client
from typing import Any

from oslo_log import log as logging

from nova import exception
from nova.i18n import _

LOG = logging.getLogger(__name__)

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}
DEFAULT_FAULT_NAME = 'computeFault'


def fault_name(status: int) -> str:
    return FAULT_NAMES.get(status, DEFAULT_FAULT_NAME)


def fault_body(status: int, message: str) -> dict[str, Any]:
    return {fault_name(status): {'code': status, 'message': message}}


def from_exception(exc: BaseException) -> tuple[int, dict[str, Any],
                                                 dict[str, str]]:
    """Translate any exception into (status, body, extra headers)."""
    if isinstance(exc, exception.NovaException):
        status = exc.code
        if exc.safe:
            message = exc.format_message()
        else:
            LOG.error('Unexpected error: %s', exc, exc_info=exc)
            message = generic_message(status)
        return status, fault_body(status, message), dict(exc.headers)
    LOG.error('Unexpected error: %s', exc, exc_info=exc)
    return 500, fault_body(500, generic_message(500)), {}


def generic_message(status: int) -> str:
    if status >= 500:
        return _('Unexpected API Error. Please report this at your '
                 'operator; the request id identifies the failed call.')
    return http.client.responses.get(status, _('Error'))
