"""The image document, shaped like Glance v2's.

Additional properties are flattened into the document; links are paths
from the endpoint's root (``/v2/images/ID``), as Glance gives them and
as clients expect (openstacksdk strips the ``/v2`` of ``next``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

# Columns shown as they are.
_COLUMNS = ('id', 'name', 'status', 'visibility', 'protected',
            'disk_format', 'container_format', 'size', 'virtual_size',
            'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk',
            'min_ram', 'owner')


def image(record: Mapping[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = dict(record.get('properties') or {})
    for key in _COLUMNS:
        doc[key] = record.get(key)
    doc['protected'] = bool(doc['protected'])
    doc['min_disk'] = doc['min_disk'] or 0
    doc['min_ram'] = doc['min_ram'] or 0
    doc['os_hidden'] = False
    doc['tags'] = list(record.get('tags') or [])
    doc['created_at'] = isotime(record.get('created_at'))
    doc['updated_at'] = isotime(record.get('updated_at') or
                                record.get('created_at'))
    doc['self'] = f'/v2/images/{record["id"]}'
    doc['file'] = f'/v2/images/{record["id"]}/file'
    doc['schema'] = '/v2/schemas/image'
    return doc


def isotime(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')
