"""servers/{id}/ips: a server's addresses by network."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import wsgi
from nova.compute import api as compute_api
from nova.i18n import _


class IPsController:
    def __init__(self) -> None:
        self.compute = compute_api.API()

    def index(self, req: wsgi.Request, server_id: str) -> dict[str, Any]:
        addresses = self._addresses(req, server_id, 'index')
        return {'addresses': addresses}

    def show(self, req: wsgi.Request, server_id: str,
             id: str) -> dict[str, Any]:
        addresses = self._addresses(req, server_id, 'show')
        if id not in addresses:
            raise exception.NotFound(message=_(
                'Instance is not a member of specified network'))
        return {id: [{'addr': ip['addr'], 'version': ip['version']}
                     for ip in addresses[id]]}

    def _addresses(self, req: wsgi.Request, server_id: str,
                   action: str) -> dict[str, Any]:
        instance = self.compute.get(req.context, server_id)
        policy.authorize(req.context, f'os_compute_api:ips:{action}',
                         {'project_id': instance['project_id']})
        by_label = self.compute.addresses(req.context, [server_id])
        return {label: [{'addr': ip['addr'], 'version': ip['version']}
                        for ip in ips]
                for label, ips in by_label.get(server_id, {}).items()}

