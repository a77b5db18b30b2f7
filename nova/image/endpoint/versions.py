"""The version documents: ``GET /`` (300 Multiple Choices, as Glance)
and ``GET /versions`` (200). Clients (keystoneauth discovery) follow the
``self`` link of the newest version."""

from __future__ import annotations

from typing import Any

import webob
import webob.dec

from nova.image.endpoint import wsgi

# What this endpoint implements of Glance v2: the core image API with
# JSON patch (2.1); nothing of the later microversions' features
# (tasks, import, stores, hidden images).
VERSIONS = (('v2.1', 'CURRENT'), ('v2.0', 'SUPPORTED'))


class Versions:
    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Versions:
        return cls()

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> webob.Response:
        path = req.path_info.rstrip('/')
        if path not in ('', '/versions'):
            return wsgi.error_response(404, f'No such resource: '
                                            f'{req.path_info}')
        if req.method not in ('GET', 'HEAD'):
            return wsgi.error_response(405, 'Only GET is allowed here.',
                                       {'Allow': 'GET, HEAD'})
        href = f'{req.application_url}/v2/'
        body = {'versions': [
            {'id': version, 'status': status,
             'links': [{'rel': 'self', 'href': href}]}
            for version, status in VERSIONS]}
        return wsgi.json_response(body, status=300 if path == '' else 200)
