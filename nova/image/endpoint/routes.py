"""The route table of the image endpoint (paths below ``/v2``) and its
dispatcher: 404 for an unknown path, 405 with ``Allow`` for a known path
and an unknown method."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import routes
import webob
import webob.dec

from nova import exception
from nova.image.endpoint import data
from nova.image.endpoint import images
from nova.image.endpoint import wsgi

Handler = Callable[..., webob.Response]

ROUTES: tuple[tuple[str, dict[str, Handler]], ...] = (
    ('/images', {'GET': images.index, 'POST': images.create}),
    ('/images/{image_id}', {'GET': images.show, 'PATCH': images.update,
                            'DELETE': images.delete}),
    ('/images/{image_id}/file', {'GET': data.download,
                                 'PUT': data.upload}),
    ('/images/{image_id}/tags/{tag}', {'PUT': images.add_tag,
                                       'DELETE': images.delete_tag}),
    ('/schemas/image', {'GET': images.image_schema}),
    ('/schemas/images', {'GET': images.images_schema}),
)


_VARIABLES = re.compile(r'{(\w+)}')


class Router:
    """The v2 application: route, call the handler, map errors."""

    def __init__(self) -> None:
        self.mapper = routes.Mapper()
        for index, (template, _methods) in enumerate(ROUTES):
            self.mapper.connect(None, template, route=index)
            # Clients sometimes add a trailing slash.
            self.mapper.connect(None, template + '/', route=index)

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Router:
        return cls()

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> webob.Response:
        try:
            return self._dispatch(req)
        except Exception as exc:  # noqa: BLE001 - mapped in wsgi.fault
            return wsgi.fault(exc)

    def _dispatch(self, req: wsgi.Request) -> webob.Response:
        match = self.mapper.match(req.path_info)
        if match is None:
            raise exception.NotFound(f'No such resource: {req.path_info}')
        template, methods = ROUTES[int(match['route'])]
        handler = methods.get(req.method)
        if handler is None:
            allowed = ', '.join(sorted(methods))
            return wsgi.error_response(
                405, f'Method {req.method} is not allowed here; allowed: '
                     f'{allowed}.', {'Allow': allowed})
        # Routes adds defaults (controller, action...): pass only the
        # template's own variables.
        args = {name: match[name] for name in _VARIABLES.findall(template)}
        return handler(req, **args)
