"""The image service as compute.api, the /images proxy and the drivers
use it.

``API`` is a thin facade over one backend chosen by ``[image] backend``:

- ``local``: ``nova.image.local`` (records in our database, data files
  under ``[image] store_dir``); served to clients over the Glance v2 API
  by ``nova.image.endpoint``.
- ``glance``: a Glance v2 service over HTTP (``nova.image.glance``).

Processes that must not open the database (nova-compute) use
``http_client()`` whatever the backend: an HTTP client of the Glance v2
API pointed at ``[glance]``, which is a real Glance or our own endpoint.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_utils import uuidutils

from nova import exception
from nova.image import access

CONF = cfg.CONF


def _backend() -> Any:
    # Imported here, not at the top: nova-compute imports this module
    # for the HTTP client and must never load the database layer.
    if CONF.image.backend == 'glance':
        return http_client()
    from nova.image import local
    return local.LocalImageService()


def http_client() -> Any:
    """The Glance v2 HTTP client, for any backend's endpoint."""
    from nova.image import glance
    return glance.GlanceClient()


class API:
    """What callers may do with images; backend-neutral."""

    def __init__(self, backend: Any = None) -> None:
        self.backend = backend if backend is not None else _backend()

    def get(self, context: Any, image_id: str) -> dict[str, Any]:
        """Image metadata by id (any status; callers check it).

        An image the caller may not see is not found, as with Glance:
        another project's private image cannot be booted by its id.
        """
        if not uuidutils.is_uuid_like(image_id):
            raise exception.ImageNotFound(image_id=image_id)
        image = self.backend.get(context, image_id)
        if not self.visible(context, image):
            raise exception.ImageNotFound(image_id=image_id)
        return _meta(image)

    def get_by_name_or_id(self, context: Any, ref: str) -> dict[str, Any]:
        if uuidutils.is_uuid_like(ref):
            return self.get(context, ref)
        matches = [i for i in self.get_all(context) if i.get('name') == ref]
        if len(matches) != 1:
            raise exception.ImageNotFound(image_id=ref)
        return matches[0]

    def get_all(self, context: Any) -> list[dict[str, Any]]:
        """Images the caller may see: public and community ones and the
        project's own."""
        return [_meta(i) for i in self.backend.get_all(context)
                if self.visible(context, i)]

    @staticmethod
    def visible(context: Any, image: dict[str, Any]) -> bool:
        return access.visible(context, image)

    def create(self, context: Any, meta: dict[str, Any]) -> dict[str, Any]:
        """A new queued image (e.g. a snapshot's, before the compute
        uploads its data); ``properties`` become image properties."""
        return _meta(self.backend.create(context, meta))

    def delete(self, context: Any, image_id: str) -> None:
        self.backend.delete(context, image_id)

    def download(self, context: Any, image_id: str, dst_path: str) -> None:
        self.backend.download(context, image_id, dst_path)

    def upload(self, context: Any, image_id: str, src_path: str,
               disk_format: str) -> None:
        self.backend.upload(context, image_id, src_path, disk_format)


_KEYS = ('id', 'name', 'status', 'disk_format', 'container_format',
         'size', 'virtual_size', 'checksum', 'os_hash_algo',
         'os_hash_value', 'min_disk', 'min_ram', 'owner', 'visibility',
         'protected', 'created_at', 'updated_at')


def _meta(image: dict[str, Any]) -> dict[str, Any]:
    """One shape for every backend: the columns plus ``properties``."""
    meta = {key: image.get(key) for key in _KEYS}
    meta['properties'] = dict(image.get('properties') or {})
    meta['tags'] = list(image.get('tags') or [])
    return meta
