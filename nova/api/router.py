"""Build the Routes mapper of the v2.1 API from the route table.

Every path is served with and without a leading ``/{project_id}``
(project ids in URLs are optional since 2.18). A known path asked with
an unknown method answers 405 with ``Allow``.
"""

from __future__ import annotations

from typing import Any

import routes
import routes.middleware
import webob
import webob.dec
from oslo_config import cfg

from nova import exception
from nova.api import routes as route_table
from nova.api import wsgi
from nova.i18n import _

CONF = cfg.CONF


class APIRouterV21:
    """WSGI app that dispatches to controller Resources."""

    def __init__(self) -> None:
        self.mapper = routes.Mapper()
        resources: dict[Any, wsgi.Resource] = {}
        # Order matters: Routes takes the first match. Plain paths come
        # before project-prefixed ones, and the 405 catch-alls last, so a
        # specific route always wins.
        for prefix in ('', '/{project_id}'):
            for path, methods in route_table.ROUTES:
                if prefix and path in ('', '/'):
                    continue
                for method, (factory, action) in methods.items():
                    if factory not in resources:
                        resources[factory] = wsgi.Resource(factory())
                    self.mapper.connect(
                        prefix + path, controller=resources[factory],
                        action=action, conditions={'method': [method]})
        for prefix in ('', '/{project_id}'):
            for path, methods in route_table.ROUTES:
                if prefix and path in ('', '/'):
                    continue
                self.mapper.connect(prefix + path,
                                    controller=_NotAllowed(sorted(methods)),
                                    action='_')
        self._router = routes.middleware.RoutesMiddleware(
            self._dispatch, self.mapper)

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        return cls()

    def __call__(self, environ: dict, start_response: Any) -> Any:
        return self._router(environ, start_response)

    @staticmethod
    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def _dispatch(req: wsgi.Request) -> Any:
        match = req.environ['wsgiorg.routing_args'][1]
        if not match:
            return wsgi.fault_response(exception.NotFound(
                message=_('The resource could not be found.')), None)
        project_id = match.get('project_id')
        if project_id is not None:
            match.pop('project_id')
            # Links in the response mirror the form of the request URL.
            req.environ['nova.project_in_url'] = project_id
            ctx = req.environ.get('nova.context')
            if ctx is not None and ctx.project_id != project_id:
                return wsgi.fault_response(exception.Invalid(
                    reason=_("Malformed request URL: URL's project_id "
                             "'%(url)s' doesn't match Context's "
                             "project_id '%(ctx)s'")
                    % {'url': project_id, 'ctx': ctx.project_id}), None)
        return match['controller']


class _NotAllowed:
    """Answers 405 for a known path asked with the wrong method."""

    def __init__(self, allowed: list[str]) -> None:
        self.allowed = allowed

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> webob.Response:
        resp = wsgi.fault_response(
            exception.MethodNotAllowed(method=req.method), None)
        resp.headers['Allow'] = ', '.join(self.allowed)
        return resp
