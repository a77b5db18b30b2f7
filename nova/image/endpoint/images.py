"""Image records: list, show, create, update (JSON patch), delete, tags
and the schema documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import webob
from oslo_config import cfg
from oslo_utils import uuidutils

from nova import exception
from nova.image import access
from nova.image import local
from nova.image.endpoint import listing
from nova.image.endpoint import patch
from nova.image.endpoint import schemas
from nova.image.endpoint import views
from nova.image.endpoint import wsgi

CONF = cfg.CONF
STORE = local.LocalImageService()


def index(req: wsgi.Request) -> webob.Response:
    query = listing.parse(req)
    try:
        records = [] if query.nothing else STORE.get_all(
            req.context, query.filters, sort_key=query.sort_keys,
            sort_dir=query.sort_dirs, limit=query.limit,
            marker=query.marker)
    except exception.MarkerNotFound as exc:
        # Glance: a bad marker is a bad request, not a missing resource.
        raise exception.Invalid(
            reason=f'marker {query.marker} not found') from exc
    body: dict[str, Any] = {
        'images': [views.image(r) for r in records],
        'first': '/v2/images',
        'schema': '/v2/schemas/images',
    }
    if records and len(records) == query.limit:
        body['next'] = query.next_link(records[-1]['id'])
    return wsgi.json_response(body)


def show(req: wsgi.Request, image_id: str) -> webob.Response:
    return wsgi.json_response(views.image(visible_image(req, image_id)))


def create(req: wsgi.Request) -> webob.Response:
    context = req.context
    if not access.may_write(context):
        raise exception.Forbidden(reason='You are not authorized to '
                                         'create images.')
    body = req.json_object()
    for name in body:
        if name in schemas.READ_ONLY:
            raise exception.Forbidden(
                reason=f"Attribute '{name}' is read-only.")
    document = {'visibility': 'shared', 'protected': False, 'min_ram': 0,
                'min_disk': 0, 'tags': [], **body}
    schemas.validate(document)
    _check_privileges(context, document, {'owner': context.project_id})
    values, properties = _split(document)
    image_id = document.get('id')
    if image_id is not None:
        values['id'] = image_id.lower()
    record = STORE.create(context, {**values, 'properties': properties,
                                    'tags': document.get('tags') or []})
    resp = wsgi.json_response(views.image(record), status=201)
    resp.location = f'{req.application_url}/images/{record["id"]}'
    return resp


def update(req: wsgi.Request, image_id: str) -> webob.Response:
    content_type = (req.content_type or '').lower()
    if content_type not in patch.MEDIA_TYPES:
        raise wsgi.UnsupportedMediaType(
            f'Unsupported Content-Type {content_type or "(none)"}; send '
            f'{patch.MEDIA_TYPES[0]}.')
    record = modifiable_image(req, image_id)
    before = _writable(record)
    after = patch.apply(before, req.json_value())
    schemas.validate(after)
    _check_privileges(req.context, after, record)
    values, properties = _split(after)
    changed = {k: v for k, v in values.items() if before.get(k) != v}
    record = STORE.update(req.context, image_id, changed, properties,
                          purge_props=True)
    record['tags'] = STORE.set_tags(req.context, image_id,
                                    after.get('tags') or [])
    return wsgi.json_response(views.image(record))


def delete(req: wsgi.Request, image_id: str) -> webob.Response:
    modifiable_image(req, image_id)
    STORE.delete(req.context, image_id)
    return webob.Response(status=204)


def add_tag(req: wsgi.Request, image_id: str, tag: str) -> webob.Response:
    modifiable_image(req, image_id)
    if len(tag) > 255:
        raise exception.Invalid(reason='A tag is at most 255 characters.')
    STORE.add_tag(req.context, image_id, tag)
    return webob.Response(status=204)


def delete_tag(req: wsgi.Request, image_id: str,
               tag: str) -> webob.Response:
    modifiable_image(req, image_id)
    STORE.delete_tag(req.context, image_id, tag)
    return webob.Response(status=204)


def image_schema(req: wsgi.Request) -> webob.Response:
    return wsgi.json_response(schemas.image_schema())


def images_schema(req: wsgi.Request) -> webob.Response:
    return wsgi.json_response(schemas.images_schema())


# -- helpers -------------------------------------------------------------
def visible_image(req: wsgi.Request, image_id: str) -> dict[str, Any]:
    if not uuidutils.is_uuid_like(image_id):
        raise NoImage(image_id=image_id)
    try:
        return STORE.get_visible(req.context, image_id)
    except exception.ImageNotFound as exc:
        raise NoImage(image_id=image_id) from exc


def modifiable_image(req: wsgi.Request, image_id: str) -> dict[str, Any]:
    """The image, if the caller may change it: 404 when it is not
    visible to them, 403 when visible but not theirs."""
    record = visible_image(req, image_id)
    if not access.may_modify(req.context, record):
        raise exception.Forbidden(
            reason=f'You are not permitted to modify image {image_id}.')
    return record


def _writable(record: Mapping[str, Any]) -> dict[str, Any]:
    document = dict(record.get('properties') or {})
    for key in schemas.WRITABLE_COLUMNS:
        document[key] = record.get(key)
    document['protected'] = bool(document['protected'])
    document['min_ram'] = document['min_ram'] or 0
    document['min_disk'] = document['min_disk'] or 0
    document['tags'] = list(record.get('tags') or [])
    return document


def _split(document: Mapping[str, Any]
           ) -> tuple[dict[str, Any], dict[str, str]]:
    """Columns and additional properties of a flat document."""
    values = {k: document[k] for k in schemas.WRITABLE_COLUMNS
              if k in document}
    properties = {k: v for k, v in document.items()
                  if k not in schemas.BASE}
    return values, properties


def _check_privileges(context: Any, document: Mapping[str, Any],
                      record: Mapping[str, Any]) -> None:
    """Glance's defaults: only admins publicise images or give them to
    another project."""
    if context.is_admin:
        return
    if document.get('visibility') == 'public' and \
            record.get('visibility') != 'public':
        raise exception.Forbidden(
            reason='You are not authorized to make images public.')
    owner = document.get('owner')
    if owner is not None and owner != record.get('owner'):
        raise exception.Forbidden(
            reason='You are not authorized to change the owner of an '
                   'image.')


class NoImage(exception.ImageNotFound):
    msg_fmt = 'No image found with ID %(image_id)s'

