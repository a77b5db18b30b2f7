"""Image data: ``PUT /v2/images/{id}/file`` (streamed upload) and
``GET /v2/images/{id}/file`` (streamed download).

Neither reads the whole image into memory: the upload hands the
request's input stream to the store, which copies it in chunks; the
download answers with an iterator over the file.
"""

from __future__ import annotations

from typing import Any

import webob
from oslo_log import log as logging

from nova import exception
from nova.image import local
from nova.image.endpoint import images
from nova.image.endpoint import wsgi

LOG = logging.getLogger(__name__)
OCTET_STREAM = 'application/octet-stream'


def upload(req: wsgi.Request, image_id: str) -> webob.Response:
    content_type = (req.content_type or '').lower()
    if content_type != OCTET_STREAM:
        raise wsgi.UnsupportedMediaType(
            f'Unsupported Content-Type {content_type or "(none)"}; image '
            f'data is sent as {OCTET_STREAM}.')
    record = images.modifiable_image(req, image_id)
    missing = [name for name in ('disk_format', 'container_format')
               if not record.get(name)]
    if missing:
        # As Glance: the data is checked against the declared format.
        raise exception.Invalid(
            reason=f'Properties {", ".join(missing)} must be set prior '
                   f'to saving data.')
    announced = _int_header(req, 'X-OpenStack-Image-Size')
    limit = images.CONF.image.max_image_size
    if announced is not None and announced > limit:
        raise local.ImageTooLarge(limit=limit)
    images.STORE.receive(req.context, image_id, _input(req),
                         req.content_length)
    return webob.Response(status=204)


def download(req: wsgi.Request, image_id: str) -> webob.Response:
    record = images.visible_image(req, image_id)
    if record['status'] != 'active':
        # Glance: an image without data answers 204.
        return webob.Response(status=204)
    resp = webob.Response(
        status=200, content_type=OCTET_STREAM, charset=None,
        app_iter=images.STORE.open_data(req.context, record))
    if record.get('size') is not None:
        resp.content_length = record['size']
    if record.get('checksum'):
        resp.headers['Content-MD5'] = record['checksum']
    return resp


def _input(req: wsgi.Request) -> Any:
    """The raw input stream: with Content-Length the server stops at the
    announced size; chunked input ends where the client ends it."""
    return req.environ['wsgi.input']


def _int_header(req: wsgi.Request, name: str) -> int | None:
    value = req.headers.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise exception.Invalid(
            reason=f'{name} must be an integer, not {value!r}.') from exc
