"""Request, responses and errors of the image endpoint.

Errors look like Glance's (webob's JSON error page: ``code``, ``title``,
``message``). Domain exceptions carry their HTTP status (``code``); an
unexpected error is logged and answered with a 500 without a traceback.
"""

from __future__ import annotations

from typing import Any

import webob
import webob.exc
from oslo_log import log as logging
from oslo_serialization import jsonutils

from nova import exception

LOG = logging.getLogger(__name__)
JSON = 'application/json'
# Bytes of a JSON request body; image documents are small.
MAX_JSON_BODY = 1024 * 1024


class UnsupportedMediaType(exception.NovaException):
    code = 415
    safe = True
    msg_fmt = 'Unsupported Content-Type.'


class Request(webob.Request):
    @property
    def context(self) -> Any:
        ctx = self.environ.get('nova.context')
        if ctx is None:
            raise exception.NotAuthenticated()
        return ctx

    def json_value(self) -> Any:
        """The JSON body, whatever its media type says (JSON patch
        types are JSON too)."""
        # The pipeline has no body size limit (uploads are large), so
        # JSON bodies get one here before they are read into memory.
        length = self.content_length
        if length is not None and length > MAX_JSON_BODY:
            raise exception.RequestTooLarge()
        raw = self.body_file.read(MAX_JSON_BODY + 1)
        if len(raw) > MAX_JSON_BODY:
            raise exception.RequestTooLarge()
        try:
            return jsonutils.loads(raw)
        except ValueError as exc:
            raise exception.Invalid(
                reason=f'The body is not valid JSON: {exc}') from exc

    def json_object(self) -> dict[str, Any]:
        content_type = (self.content_type or JSON).lower()
        if content_type != JSON:
            raise UnsupportedMediaType(
                f'Unsupported Content-Type {content_type}; send {JSON}.')
        body = self.json_value()
        if not isinstance(body, dict):
            raise exception.Invalid(reason='The body must be a JSON '
                                           'object.')
        return body


def json_response(body: Any, status: int = 200) -> webob.Response:
    resp = webob.Response(status=status, content_type=JSON,
                          charset='utf-8')
    resp.body = jsonutils.dump_as_bytes(body)
    return resp


def error_response(status: int, message: str,
                   headers: dict[str, str] | None = None
                   ) -> webob.Response:
    title = webob.exc.status_map.get(status, webob.exc.HTTPError).title
    resp = json_response({'code': f'{status} {title}', 'title': title,
                          'message': message}, status=status)
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    return resp


def fault(exc: BaseException) -> webob.Response:
    """The response for an exception raised by a handler."""
    if isinstance(exc, exception.NovaException) and exc.code < 500:
        return error_response(exc.code, exc.format_message(),
                              dict(exc.headers))
    if isinstance(exc, exception.NovaException) and exc.safe:
        return error_response(exc.code, exc.format_message())
    LOG.exception('Unexpected error in the image endpoint')
    return error_response(500, 'The server has either erred or is '
                               'incapable of performing the requested '
                               'operation.')
