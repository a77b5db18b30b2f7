"""/images: the deprecated image proxy (up to 2.35) over our image
service, kept because older clients (novaclient, Horizon) still call it.
"""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import formats
from nova.api import links
from nova.api import wsgi
from nova.image import api as image_api

POLICY = 'os_compute_api:images'
# The proxy APIs are gone from 2.36 (microversion.PROXY_APIS_REMOVED).
_LAST_VERSION = '2.35'
_STATUS = {'active': 'ACTIVE', 'queued': 'SAVING', 'saving': 'SAVING',
           'importing': 'SAVING', 'uploading': 'SAVING',
           'killed': 'ERROR', 'deleted': 'DELETED',
           'pending_delete': 'DELETED', 'deactivated': 'ERROR'}


class ImagesController:
    def __init__(self) -> None:
        self.images = image_api.API()

    @wsgi.versions(max_version=_LAST_VERSION)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        policy.authorize(req.context, POLICY)
        return {'images': [self._basic(req, i) for i in self._list(req)]}

    @wsgi.versions(max_version=_LAST_VERSION)
    def detail(self, req: wsgi.Request) -> dict[str, Any]:
        policy.authorize(req.context, POLICY)
        return {'images': [self._detail(req, i) for i in self._list(req)]}

    @wsgi.versions(max_version=_LAST_VERSION)
    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        policy.authorize(req.context, POLICY)
        return {'image': self._detail(req, self._get(req, id))}

    @wsgi.versions(max_version=_LAST_VERSION)
    @wsgi.response(204)
    def delete(self, req: wsgi.Request, id: str) -> None:
        policy.authorize(req.context, POLICY)
        image = self._get(req, id)
        if image.get('owner') not in (None, req.context.project_id) and \
                not req.context.is_admin:
            raise exception.Forbidden(reason='not the owner of the image')
        self.images.delete(req.context, id)

    def _list(self, req: wsgi.Request) -> list[dict[str, Any]]:
        return self.images.get_all(req.context)

    def _get(self, req: wsgi.Request, image_id: str) -> dict[str, Any]:
        image = self.images.get(req.context, image_id)
        if not self.images.visible(req.context, image):
            raise exception.ImageNotFound(image_id=image_id)
        return image

    @staticmethod
    def _basic(req: wsgi.Request, image: dict[str, Any]) -> dict[str, Any]:
        return {'id': image['id'], 'name': image.get('name'),
                'links': links.resource_links(req, 'images', image['id'])}

    def _detail(self, req: wsgi.Request,
                image: dict[str, Any]) -> dict[str, Any]:
        view = self._basic(req, image)
        status = _STATUS.get(image.get('status') or '', 'UNKNOWN')
        view.update({
            'status': status,
            'progress': 100 if status == 'ACTIVE' else 0,
            'minDisk': image.get('min_disk') or 0,
            'minRam': image.get('min_ram') or 0,
            'created': formats.isotime_z(image.get('created_at')),
            'updated': formats.isotime_z(image.get('updated_at') or
                                         image.get('created_at')),
            'metadata': dict(image.get('properties') or {}),
            'OS-EXT-IMG-SIZE:size': image.get('size') or 0,
        })
        return view

