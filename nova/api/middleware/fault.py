"""Outermost safety net: every error below becomes a Compute API fault.

Controllers' errors are already faults (``wsgi.Resource``); this catches
what escapes middleware and rewrites the error pages of library
middleware, plain text (the 413 of the body size limiter) or JSON in
another shape (the ``{"error": {...}}`` 401 of keystonemiddleware's
authtoken), into the fault format, keeping their headers
(WWW-Authenticate...) and a JSON page's message.
"""

from __future__ import annotations

from typing import Any

import webob
import webob.dec
from oslo_log import log as logging
from oslo_serialization import jsonutils

from nova.api import faults
from nova.api import wsgi

LOG = logging.getLogger(__name__)


class FaultWrapper:
    def __init__(self, application: Any) -> None:
        self.application = application

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        return cls

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> webob.Response:
        try:
            resp = req.get_response(self.application)
        except Exception as exc:  # noqa: BLE001
            return wsgi.fault_response(exc, None)
        if resp.status_int >= 400 and not _is_fault(resp):
            return _as_fault(resp)
        return resp


def _json_body(resp: webob.Response) -> Any:
    if not (resp.content_type or '').endswith('json'):
        return None
    try:
        return jsonutils.loads(resp.body)
    except ValueError:
        return None


def _is_fault(resp: webob.Response) -> bool:
    """Already ``{"<fault name of the status>": {...}}``."""
    body = _json_body(resp)
    return isinstance(body, dict) and \
        list(body) == [faults.fault_name(resp.status_int)]


def _as_fault(resp: webob.Response) -> webob.Response:
    status = resp.status_int
    explanation = getattr(resp, 'explanation', None) or \
        resp.status.split(' ', 1)[-1]
    body = _json_body(resp)
    if isinstance(body, dict) and isinstance(body.get('error'), dict) and \
            isinstance(body['error'].get('message'), str):
        explanation = body['error']['message']
    body = faults.fault_body(status, explanation)
    new = webob.Response(status=status, content_type='application/json',
                         charset='utf-8')
    new.body = jsonutils.dump_as_bytes(body)
    for name, value in resp.headers.items():
        if name.lower() not in ('content-type', 'content-length'):
            new.headers.add(name, value)
    return new
