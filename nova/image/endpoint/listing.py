"""``GET /v2/images`` query parameters: filters, sorting and paging, as
Glance reads them.

Known attributes filter on their column; ``tag`` (repeatable) needs all
tags; any other parameter filters on the additional property of that
name. Without ``visibility``, other projects' community images are left
out (Glance lists them only when asked); ``visibility=all`` lists
everything the caller may see.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from typing import Any

from oslo_config import cfg
from oslo_utils import strutils
from oslo_utils import uuidutils

from nova import exception
from nova.image.endpoint import schemas

CONF = cfg.CONF

SORT_KEYS = ('name', 'status', 'container_format', 'disk_format', 'size',
             'virtual_size', 'id', 'created_at', 'updated_at',
             'visibility', 'owner', 'min_disk', 'min_ram')
_COLUMN_FILTERS = ('name', 'status', 'owner', 'disk_format',
                   'container_format')
_PAGING = ('limit', 'marker', 'sort_key', 'sort_dir', 'sort')
# Glance filters we do not implement: refusing them beats silently
# treating them as property filters and returning nothing.
_UNSUPPORTED = ('size_min', 'size_max', 'created_at', 'updated_at',
                'member_status', 'checksum', 'os_hash_value')


@dataclasses.dataclass
class Query:
    filters: dict[str, Any]
    sort_keys: list[str]
    sort_dirs: list[str]
    limit: int
    marker: str | None
    params: list[tuple[str, str]]
    nothing: bool = False

    def next_link(self, last_id: str) -> str:
        params = [(k, v) for k, v in self.params
                  if k not in ('marker', 'limit')]
        params += [('limit', str(self.limit)), ('marker', last_id)]
        return '/v2/images?' + urllib.parse.urlencode(params)


def parse(req: Any) -> Query:
    params = list(req.GET.items())
    filters: dict[str, Any] = {}
    properties: dict[str, str] = {}
    tags: list[str] = []
    hidden = False
    for key, value in params:
        if key in _PAGING:
            continue
        if key in _COLUMN_FILTERS:
            filters[key] = value
        elif key == 'visibility':
            _visibility(req.context, value, filters)
        elif key == 'protected':
            filters['protected'] = _bool(value, key)
        elif key == 'os_hidden':
            hidden = _bool(value, key)
        elif key == 'tag':
            tags.append(value)
        elif key in _UNSUPPORTED:
            raise exception.Invalid(
                reason=f'The {key} filter is not supported here.')
        else:
            properties[key] = value
    if 'visibility' not in filters and 'all_visible' not in filters:
        filters['hide_community_except'] = req.context.project_id
    filters.pop('all_visible', None)
    if tags:
        filters['tags'] = tags
    if properties:
        filters['properties'] = properties
    sort_keys, sort_dirs = _sort(req.GET)
    # We never hide images (os_hidden): asking for hidden ones finds none.
    return Query(filters, sort_keys, sort_dirs, _limit(req.GET),
                 _marker(req.GET), params, nothing=hidden)


def _visibility(context: Any, value: str, filters: dict[str, Any]) -> None:
    if value == 'all':
        filters['all_visible'] = True
    elif value in schemas.VISIBILITIES:
        filters['visibility'] = value
    else:
        raise exception.Invalid(
            reason=f'Invalid visibility value: {value}')


def _bool(value: str, name: str) -> bool:
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as exc:
        raise exception.Invalid(
            reason=f'{name} must be true or false, not {value!r}.') from exc


def _limit(get: Any) -> int:
    value = get.get('limit')
    if value is None:
        return CONF.image.default_list_limit
    try:
        limit = int(value)
    except ValueError:
        limit = -1
    if limit < 0:
        raise exception.Invalid(
            reason=f'limit must be a non-negative integer, not {value!r}.')
    return min(limit, CONF.image.max_list_limit)


def _marker(get: Any) -> str | None:
    marker = get.get('marker')
    if marker is not None and not uuidutils.is_uuid_like(marker):
        raise exception.Invalid(reason=f'Invalid marker {marker!r}: not '
                                       f'an image id.')
    return marker


def _sort(get: Any) -> tuple[list[str], list[str]]:
    if 'sort' in get and ('sort_key' in get or 'sort_dir' in get):
        raise exception.Invalid(
            reason='Use either sort or sort_key/sort_dir, not both.')
    keys: list[str] = []
    dirs: list[str] = []
    if 'sort' in get:
        for item in get['sort'].split(','):
            key, _, direction = item.strip().partition(':')
            keys.append(key)
            dirs.append(direction or 'desc')
    else:
        keys = get.getall('sort_key') or ['created_at']
        dirs = get.getall('sort_dir') or ['desc']
        if len(dirs) == 1:
            dirs = dirs * len(keys)
        elif len(dirs) != len(keys):
            raise exception.Invalid(
                reason='Give one sort_dir, or one per sort_key.')
    for key in keys:
        if key not in SORT_KEYS:
            raise exception.Invalid(
                reason=f'Invalid sort key: {key!r}; use one of '
                       f'{", ".join(SORT_KEYS)}.')
    for direction in dirs:
        if direction not in ('asc', 'desc'):
            raise exception.Invalid(
                reason=f'Invalid sort direction: {direction!r}; use asc '
                       f'or desc.')
    return keys, dirs
