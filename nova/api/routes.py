"""The route table of the v2.1 API: path -> method -> (controller, action).

Read it on one screen. Controllers are referenced by class and built once
by ``nova.api.router``; server actions (POST /servers/{id}/action) are
dispatched by body key inside the servers action controller.
"""

from __future__ import annotations

from nova.api.controllers import services
from nova.api.controllers import versions

ROUTES: list[tuple[str, dict[str, tuple[type, str]]]] = [
    ('', {'GET': (versions.VersionController, 'show')}),
    ('/', {'GET': (versions.VersionController, 'show')}),

    ('/os-services', {'GET': (services.ServiceController, 'index')}),
    ('/os-services/{id}', {
        'PUT': (services.ServiceController, 'update'),
        'DELETE': (services.ServiceController, 'delete')}),
]
