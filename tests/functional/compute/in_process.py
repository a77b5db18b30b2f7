"""A test cloud in this process (tests/api fixtures), driven through its
WSGI app without sockets: what the in-process compute tests share."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import webob

Call = Callable[..., tuple[int, Any]]


def wait_for(predicate: Callable[[], Any], what: str = 'a condition',
             timeout: float = 30.0) -> Any:
    """Poll ``predicate`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f'timed out waiting for {what}')


def api_caller(app: Any, default_token: str) -> Call:
    """``call(method, path, body=None, token=..., version=None)`` ->
    (status, JSON body or None), against the Compute API ``app``."""
    def call(method: str, path: str, body: Any = None,
             token: str = default_token,
             version: str | None = None) -> tuple[int, Any]:
        req = webob.Request.blank('/v2.1' + path, method=method)
        req.headers['X-Auth-Token'] = token
        if version:
            req.headers['OpenStack-API-Version'] = f'compute {version}'
        if body is not None:
            req.body = json.dumps(body).encode()
            req.content_type = 'application/json'
        resp = req.get_response(app)
        return resp.status_int, (resp.json if resp.body else None)
    return call
