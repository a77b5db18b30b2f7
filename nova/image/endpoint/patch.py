"""JSON patch of an image (``PATCH /v2/images/{id}``, media types
``application/openstack-images-v2.1-json-patch`` and ``-v2.0-``).

Operates on the writable view of an image: the writable columns,
``tags`` and the additional properties, all flat like Glance's document.
Rules as in Glance: ``add`` sets (replacing an existing value),
``replace`` needs the attribute to exist, ``remove`` only removes
additional properties; read-only attributes give 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nova import exception
from nova.image.endpoint import schemas

MEDIA_TYPES = ('application/openstack-images-v2.1-json-patch',
               'application/openstack-images-v2.0-json-patch')
OPERATIONS = ('add', 'replace', 'remove')


class PropertyMissing(exception.Conflict):
    msg_fmt = 'Property %(name)s does not exist.'


def apply(document: dict[str, Any], changes: Any) -> dict[str, Any]:
    """The document after ``changes``; 400/403/409 for a bad change."""
    if not isinstance(changes, list):
        raise exception.Invalid(
            reason='A JSON patch must be a list of operations.')
    document = dict(document)
    for change in changes:
        op, name, value = _parse(change)
        if op == 'remove':
            if name in schemas.BASE:
                raise exception.Forbidden(
                    reason=f"Attribute '{name}' is reserved and cannot be "
                           f"removed.")
            if name not in document:
                raise PropertyMissing(name=name)
            del document[name]
            continue
        if op == 'replace' and name not in document and \
                name not in schemas.BASE:
            raise PropertyMissing(name=name)
        document[name] = value
    return document


def _parse(change: Any) -> tuple[str, str, Any]:
    if not isinstance(change, Mapping):
        raise exception.Invalid(
            reason='Each JSON patch operation must be an object.')
    op = change.get('op')
    if op not in OPERATIONS:
        raise exception.Invalid(
            reason=f'Unsupported JSON patch operation {op!r}; use one of '
                   f'{", ".join(OPERATIONS)}.')
    path = change.get('path')
    if not isinstance(path, str) or not path.startswith('/') or \
            path.count('/') != 1 or path == '/':
        raise exception.Invalid(
            reason=f'Invalid JSON pointer {path!r} for the {op} '
                   f'operation: use "/<attribute>".')
    # JSON pointer escapes (RFC 6901): ~1 is "/", ~0 is "~".
    name = path[1:].replace('~1', '/').replace('~0', '~')
    if name in schemas.READ_ONLY or name == 'id':
        raise exception.Forbidden(reason=f"Attribute '{name}' is "
                                         f"read-only.")
    if op != 'remove' and 'value' not in change:
        raise exception.Invalid(
            reason=f'The {op} operation on {path} needs a "value".')
    return op, name, change.get('value')
