"""One INFO line per request: who, what, status, size and time."""

from __future__ import annotations

import time
from typing import Any

import webob
import webob.dec
from oslo_log import log as logging

LOG = logging.getLogger('nova.api.requests')


class RequestLog:
    def __init__(self, application: Any) -> None:
        self.application = application

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        return cls

    @webob.dec.wsgify
    def __call__(self, req: webob.Request) -> webob.Response:
        start = time.monotonic()
        resp = req.get_response(self.application)
        LOG.info('%(remote)s "%(method)s %(path)s" status: %(status)s '
                 'len: %(len)s microversion: %(mv)s time: %(time).4f',
                 {'remote': req.remote_addr, 'method': req.method,
                  'path': req.path_qs, 'status': resp.status_int,
                  'len': resp.content_length,
                  'mv': resp.headers.get('OpenStack-API-Version', '-'),
                  'time': time.monotonic() - start})
        return resp
