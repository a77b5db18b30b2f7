"""The image service as compute.api and the drivers use it.

Backed today by the local store (image records in the database, data
files under ``$state_path/images``); the Glance backend and the image
endpoint come with the images issue.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from oslo_config import cfg
from oslo_utils import uuidutils

from nova import exception
from nova.db.api import images as images_db

CONF = cfg.CONF


class API:
    def get(self, context: Any, image_id: str) -> dict[str, Any]:
        """Image metadata by id; only active images can be booted."""
        if not uuidutils.is_uuid_like(image_id):
            raise exception.ImageNotFound(image_id=image_id)
        image = images_db.image_get(context, image_id)
        return _meta(image)

    def get_by_name_or_id(self, context: Any, ref: str) -> dict[str, Any]:
        if uuidutils.is_uuid_like(ref):
            return self.get(context, ref)
        matches = [i for i in images_db.image_get_all(context)
                   if i.get('name') == ref]
        if len(matches) != 1:
            raise exception.ImageNotFound(image_id=ref)
        return _meta(matches[0])

    def get_all(self, context: Any) -> list[dict[str, Any]]:
        """Images the caller may see: public ones and the project's."""
        return [_meta(i) for i in images_db.image_get_all(context)
                if self.visible(context, i)]

    @staticmethod
    def visible(context: Any, image: dict[str, Any]) -> bool:
        return (context.is_admin or image.get('visibility') in
                ('public', 'community') or
                image.get('owner') == context.project_id)

    def delete(self, context: Any, image_id: str) -> None:
        image = images_db.image_destroy(context, image_id)
        location = image.get('location')
        if location and os.path.exists(location):
            os.unlink(location)

    def download(self, context: Any, image_id: str, dst_path: str) -> None:
        image = images_db.image_get(context, image_id)
        location = image.get('location')
        if not location or not os.path.exists(location):
            raise exception.ImageNotFound(image_id=image_id)
        shutil.copyfile(location, dst_path)

    def upload(self, context: Any, image_id: str, src_path: str,
               disk_format: str) -> None:
        directory = os.path.join(CONF.state_path, 'images')
        os.makedirs(directory, exist_ok=True)
        target = os.path.join(directory, image_id)
        shutil.copyfile(src_path, target)
        images_db.image_update(context, image_id, {
            'location': target, 'disk_format': disk_format,
            'size': os.path.getsize(target), 'status': 'active'})


def _meta(image: dict[str, Any]) -> dict[str, Any]:
    keys = ('id', 'name', 'status', 'disk_format', 'container_format',
            'size', 'virtual_size', 'checksum', 'min_disk', 'min_ram',
            'owner', 'visibility', 'created_at', 'updated_at')
    meta = {key: image.get(key) for key in keys}
    meta['properties'] = dict(image.get('properties') or {})
    return meta
