"""servers/{server_id}/tags: a server's tags (2.26+)."""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import server_tags as schemas
from nova.compute import server_metadata as api

POLICY = 'os_compute_api:os-server-tags:%s'


class ServerTagsController:

    @wsgi.versions(mv.SERVER_TAGS)
    def index(self, req: wsgi.Request, server_id: str) -> dict[str, Any]:
        instance = self._server(req, server_id, 'index')
        return {'tags': api.get_tags(req.context, instance)}

    @wsgi.versions(mv.SERVER_TAGS)
    @wsgi.response(204)
    def show(self, req: wsgi.Request, server_id: str, id: str) -> None:
        instance = self._server(req, server_id, 'show')
        if id not in api.get_tags(req.context, instance):
            raise exception.InstanceTagNotFound(instance_id=server_id,
                                                tag=id)

    @wsgi.versions(mv.SERVER_TAGS)
    @validation.schema(schemas.update_all)
    def update_all(self, req: wsgi.Request, server_id: str,
                   body: dict[str, Any]) -> dict[str, Any]:
        instance = self._server(req, server_id, 'update_all')
        return {'tags': api.set_tags(req.context, instance, body['tags'])}

    @wsgi.versions(mv.SERVER_TAGS)
    def update(self, req: wsgi.Request, server_id: str,
               id: str) -> wsgi.ResponseObject:
        instance = self._server(req, server_id, 'update')
        validation.check(schemas.tag, id, req)
        if not api.add_tag(req.context, instance, id):
            return wsgi.ResponseObject(None, status=204)
        return wsgi.ResponseObject(
            None, status=201, headers={'Location': req.path_url})

    @wsgi.versions(mv.SERVER_TAGS)
    @wsgi.response(204)
    def delete(self, req: wsgi.Request, server_id: str, id: str) -> None:
        instance = self._server(req, server_id, 'delete')
        api.delete_tag(req.context, instance, id)

    @wsgi.versions(mv.SERVER_TAGS)
    @wsgi.response(204)
    def delete_all(self, req: wsgi.Request, server_id: str) -> None:
        instance = self._server(req, server_id, 'delete_all')
        api.delete_all_tags(req.context, instance)

    @staticmethod
    def _server(req: wsgi.Request, server_id: str,
                action: str) -> dict[str, Any]:
        instance = api.get_server(req.context, server_id)
        policy.authorize(req.context, POLICY % action,
                         {'project_id': instance['project_id']})
        return instance
