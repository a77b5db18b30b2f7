"""The version documents: ``GET /`` and ``GET /v2.1/``."""

from __future__ import annotations

from typing import Any

import webob
import webob.dec
from oslo_serialization import jsonutils

from nova.api import links
from nova.api import microversion
from nova.api import wsgi

_V21_UPDATED = '2013-07-23T11:33:21Z'
_V20_UPDATED = '2025-07-04T12:00:00Z'


def _v21(base: str) -> dict[str, Any]:
    return {
        'id': 'v2.1',
        'links': [{'href': f'{base}/v2.1/', 'rel': 'self'}],
        'status': 'CURRENT',
        'version': str(microversion.MAX),
        'min_version': str(microversion.MIN),
        'updated': _V21_UPDATED,
    }


def _v20(base: str) -> dict[str, Any]:
    return {
        'id': 'v2.0',
        'links': [{'href': f'{base}/v2/', 'rel': 'self'}],
        'status': 'DEPRECATED',
        'version': '',
        'min_version': '',
        'updated': _V20_UPDATED,
    }


def _detail(doc: dict[str, Any]) -> dict[str, Any]:
    doc = dict(doc)
    doc['links'] = doc['links'] + [{
        'href': 'http://docs.openstack.org/', 'rel': 'describedby',
        'type': 'text/html'}]
    major = doc['id'][1:]
    doc['media-types'] = [{
        'base': 'application/json',
        'type': f'application/vnd.openstack.compute+json;version={major}'}]
    return doc


class VersionsList:
    """``GET /``: every major version (Paste app outside the API)."""

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        return cls()

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> webob.Response:
        base = links.host_url(req).rstrip('/')
        if req.path_info not in ('', '/'):
            status = 300  # Multiple Choices, like any unknown version URL
        else:
            status = 200
        resp = webob.Response(status=status,
                              content_type='application/json',
                              charset='utf-8')
        resp.body = jsonutils.dump_as_bytes(
            {'versions': [_v20(base), _v21(base)]})
        return resp


class VersionController:
    """``GET /v2.1/`` (or ``/v2/``) inside the API router."""

    @wsgi.response(200)
    def show(self, req: wsgi.Request) -> dict[str, Any]:
        base = links.host_url(req).rstrip('/')
        if req.script_name.rstrip('/').endswith('/v2'):
            return {'version': _detail(_v20(base))}
        return {'version': _detail(_v21(base))}
