"""Request, Resource and the decorators controllers use.

A ``Resource`` is the WSGI application for one controller: it negotiates
the microversion, decodes and validates the JSON body and query string,
calls the controller action and encodes the result. Controllers stay
plain classes whose actions take ``(req, **route_args)`` and return a
dict (or ``None`` for an empty body).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob
import webob.dec
from oslo_log import log as logging
from oslo_serialization import jsonutils

from nova import context as nova_context
from nova import exception
from nova.api import faults
from nova.api import microversion
from nova.api import validation
from nova.i18n import _

LOG = logging.getLogger(__name__)

JSON_TYPES = ('application/json', 'application/vnd.openstack.compute+json')


class Request(webob.Request):
    """A webob Request with the negotiated version and our context."""

    @property
    def api_version(self) -> microversion.APIVersion:
        version = self.environ.get('nova.api_version')
        if version is None:
            version = microversion.from_headers(self.headers)
            self.environ['nova.api_version'] = version
        return version

    def is_at_least(self, version: str) -> bool:
        return self.api_version >= microversion.parse(version)

    @property
    def context(self) -> nova_context.RequestContext:
        ctx = self.environ.get('nova.context')
        if ctx is None:
            raise exception.NotAuthenticated()
        return ctx

    def json_body(self) -> Any:
        if not self.body:
            return None
        content_type = (self.content_type or 'application/json').lower()
        if content_type not in JSON_TYPES:
            raise exception.Invalid(
                reason=_('Unsupported Content-Type %s; send '
                         'application/json.') % content_type)
        try:
            return jsonutils.loads(self.body)
        except ValueError:
            raise exception.Invalid(
                reason=_('Malformed request body: not valid JSON.')
            ) from None


def response(status: int) -> Callable:
    """Declare the success status of a controller action."""
    def decorator(func: Callable) -> Callable:
        func.wsgi_status = status
        return func
    return decorator


def versions(min_version: str | None = None,
             max_version: str | None = None) -> Callable:
    """Serve the action only in [min_version, max_version]; 404 outside.
    """
    def decorator(func: Callable) -> Callable:
        func.wsgi_versions = (min_version, max_version)
        return func
    return decorator


class Resource:
    """WSGI application wrapping one controller."""

    def __init__(self, controller: Any) -> None:
        self.controller = controller

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req: Request) -> webob.Response:
        args = dict(req.environ['wsgiorg.routing_args'][1])
        action = args.pop('action')
        args.pop('controller', None)
        args.pop('format', None)
        try:
            version = req.api_version
        except exception.NovaException as exc:
            return fault_response(exc, None)
        try:
            result, status = self._dispatch(req, action, args)
        except Exception as exc:  # noqa: BLE001 - every error is a fault
            return fault_response(exc, version)
        if req.environ.get('nova.legacy_v2'):
            version = None
        return self._encode(result, status, version)

    def _dispatch(self, req: Request, action: str,
                  args: dict[str, Any]) -> tuple[Any, int]:
        method = getattr(self.controller, action)
        low, high = getattr(method, 'wsgi_versions', (None, None))
        if not req.api_version.matches(low, high):
            raise exception.NotFound(
                message=_('The resource could not be found.'))
        validation.validate_query(method, req)
        if validation.takes_body(method):
            body = req.json_body()
            validation.validate_body(method, req, body)
            args['body'] = body
        result = method(req, **args)
        return result, getattr(method, 'wsgi_status', 200)

    @staticmethod
    def _encode(result: Any, status: int,
                version: microversion.APIVersion | None) -> webob.Response:
        if isinstance(result, webob.Response):
            resp = result
        else:
            resp = webob.Response(status=status)
            if isinstance(result, ResponseObject):
                resp.status = result.status or status
                resp.headers.update(result.headers)
                result = result.body
            if result is not None:
                resp.content_type = 'application/json'
                resp.charset = 'utf-8'
                resp.body = jsonutils.dump_as_bytes(result)
            elif resp.status_int != 204:
                resp.content_type = 'application/json'
            else:
                resp.content_type = None
        if version is not None:
            resp.headers.update(microversion.response_headers(version))
        return resp


class ResponseObject:
    """A body plus a non-default status or extra headers (Location...)."""

    def __init__(self, body: Any = None, status: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.body = body
        self.status = status
        self.headers = headers or {}


def fault_response(exc: BaseException,
                   version: microversion.APIVersion | None
                   ) -> webob.Response:
    status, body, headers = faults.from_exception(exc)
    resp = webob.Response(status=status, content_type='application/json',
                          charset='utf-8')
    resp.body = jsonutils.dump_as_bytes(body)
    resp.headers.update(headers)
    if version is not None:
        resp.headers.update(microversion.response_headers(version))
    return resp
