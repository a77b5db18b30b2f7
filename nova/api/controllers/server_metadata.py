"""servers/{server_id}/metadata: a server's user metadata."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import server_metadata as schemas
from nova.compute import server_metadata as api
from nova.i18n import _

POLICY = 'os_compute_api:server-metadata:%s'


class ServerMetadataController:

    def index(self, req: wsgi.Request, server_id: str) -> dict[str, Any]:
        instance = self._server(req, server_id, 'index')
        return {'metadata': api.get_metadata(req.context, instance)}

    def show(self, req: wsgi.Request, server_id: str,
             id: str) -> dict[str, Any]:
        instance = self._server(req, server_id, 'show')
        metadata = api.get_metadata(req.context, instance)
        if id not in metadata:
            raise exception.NotFound(message=_(
                'Metadata item was not found'))
        return {'meta': {id: metadata[id]}}

    @validation.schema(schemas.create)
    def create(self, req: wsgi.Request, server_id: str,
               body: dict[str, Any]) -> dict[str, Any]:
        instance = self._server(req, server_id, 'create')
        return {'metadata': api.update_metadata(
            req.context, instance, body['metadata'])}

    @validation.schema(schemas.update_all)
    def update_all(self, req: wsgi.Request, server_id: str,
                   body: dict[str, Any]) -> dict[str, Any]:
        instance = self._server(req, server_id, 'update_all')
        return {'metadata': api.update_metadata(
            req.context, instance, body['metadata'], replace=True)}

    @validation.schema(schemas.update)
    def update(self, req: wsgi.Request, server_id: str, id: str,
               body: dict[str, Any]) -> dict[str, Any]:
        instance = self._server(req, server_id, 'update')
        meta = body['meta']
        if id not in meta:
            raise exception.Invalid(reason=_(
                'Request body and URI mismatch'))
        api.update_metadata(req.context, instance, meta)
        return {'meta': meta}

    @wsgi.response(204)
    def delete(self, req: wsgi.Request, server_id: str, id: str) -> None:
        instance = self._server(req, server_id, 'delete')
        api.delete_metadata_item(req.context, instance, id)

    @staticmethod
    def _server(req: wsgi.Request, server_id: str,
                action: str) -> dict[str, Any]:
        instance = api.get_server(req.context, server_id)
        policy.authorize(req.context, POLICY % action,
                         {'project_id': instance['project_id']})
        return instance
