"""What every command shares: the client, output shaping, lookups by name.

Table output flattens nested values into short text; ``-f json``/``yaml``
keep them structured (cliff's FormattableColumn gives both).
"""

from __future__ import annotations

import json
from typing import Any

from cliff import columns
from cliff import command
from cliff import lister
from cliff import show

from nova.cli import errors
from nova.cli import http


class Structured(columns.FormattableColumn):
    """A dict or list: compact text in tables, itself in json/yaml."""

    def human_readable(self) -> str:
        value = self._value
        if isinstance(value, dict):
            return '\n'.join(f'{k}={_text(v)}' for k, v in value.items())
        if isinstance(value, list):
            return '\n'.join(_text(v) for v in value)
        return _text(value)

    def machine_readable(self) -> Any:
        return self._value


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return '' if value is None else str(value)


def cell(value: Any) -> Any:
    return Structured(value) if isinstance(value, (dict, list)) else value


def show_dict(data: dict[str, Any], drop: tuple[str, ...] = ('links',)
              ) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """(columns, values) of one resource, keys sorted, links left out."""
    keys = tuple(sorted(k for k in data if k not in drop))
    return keys, tuple(cell(data[k]) for k in keys)


def rows(items: list[dict[str, Any]], fields: list[str]
         ) -> list[tuple[Any, ...]]:
    return [tuple(cell(item.get(f)) for f in fields) for item in items]


def parse_key_values(pairs: list[str] | None, option: str
                     ) -> dict[str, str]:
    """``['k=v', ...]`` -> dict; a pair without '=' is a user error."""
    result: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition('=')
        if not sep or not key:
            raise errors.CommandError(
                f'ERROR: {option} expects KEY=VALUE, got {pair!r}')
        result[key] = value
    return result


class ClientMixin:
    app: Any

    @property
    def client(self) -> http.Client:
        return self.app.client


class Command(ClientMixin, command.Command):
    """A command that prints nothing on success (or its own text)."""

    def take_action(self, parsed_args: Any) -> int | None:
        raise NotImplementedError


class Lister(ClientMixin, lister.Lister):
    def take_action(self, parsed_args: Any) -> Any:
        raise NotImplementedError


class ShowOne(ClientMixin, show.ShowOne):
    def take_action(self, parsed_args: Any) -> Any:
        raise NotImplementedError


# -- finding resources by name or id -------------------------------------

def _one(matches: list[dict[str, Any]], kind: str, ref: str,
         not_found: Exception) -> dict[str, Any]:
    if not matches:
        raise not_found
    if len(matches) > 1:
        raise errors.CommandError(
            f'ERROR: more than one {kind} is named {ref!r}; use its ID')
    return matches[0]


def find_server(client: http.Client, ref: str) -> dict[str, Any]:
    """A server by id, else by exact name (the 404 fault if neither)."""
    try:
        return client.compute('GET', f'/servers/{ref}')['server']
    except errors.ApiError as exc:
        if exc.status != 404:
            raise
        by_id = exc
    servers = client.compute('GET', '/servers/detail',
                             params={'name': f'^{ref}$'})['servers']
    return _one([s for s in servers if s.get('name') == ref],
                'server', ref, by_id)


def find_flavor(client: http.Client, ref: str) -> dict[str, Any]:
    try:
        return client.compute('GET', f'/flavors/{ref}')['flavor']
    except errors.ApiError as exc:
        if exc.status != 404:
            raise
        by_id = exc
    flavors = client.compute_pages('/flavors/detail', 'flavors',
                                   {'is_public': 'None'})
    return _one([f for f in flavors if f.get('name') == ref],
                'flavor', ref, by_id)


def find_image_id(client: http.Client, ref: str) -> str:
    """An image id by id or name: through the image service when there
    is one, else through the Compute API's image proxy (gone after 2.35)."""
    images = _glance_matches(client, ref)
    if images is None:
        try:
            return client.compute('GET', f'/images/{ref}',
                                  version='2.35')['image']['id']
        except errors.ApiError as exc:
            if exc.status != 404:
                raise
        images = client.compute('GET', '/images/detail', version='2.35',
                                params={'name': ref})['images']
    matches = {i['id']: i for i in images
               if ref in (i.get('id'), i.get('name'))}
    return _one(list(matches.values()), 'image', ref, _no_image(ref))['id']


def _glance_matches(client: http.Client, ref: str
                    ) -> list[dict[str, Any]] | None:
    """Images named or identified by ``ref``; None when no image service
    answers like Glance v2 (then the Compute proxy is asked)."""
    try:
        body = client.image('GET', '/v2/images', params={'name': ref})
    except (errors.ApiError, errors.ConnectionFailed):
        return None
    except errors.CommandError as exc:
        if 'no image endpoint' in str(exc):
            return None
        raise
    if 'images' not in body:
        return None
    images = list(body['images'])
    try:
        images.append(client.image('GET', f'/v2/images/{ref}'))
    except errors.ApiError:
        pass
    return images


def _no_image(ref: str) -> errors.CommandError:
    return errors.CommandError(f'ERROR: no image with a name or ID of '
                               f'{ref!r} exists')


def find_by_name(client: http.Client, path: str, key: str, ref: str,
                 kind: str, name_field: str = 'name') -> dict[str, Any]:
    """A resource from a (short) list whose id or name is ``ref``."""
    items = client.compute_pages(path, key)
    return _one([i for i in items
                 if ref in (str(i.get('id')), i.get(name_field))],
                kind, ref,
                errors.CommandError(f'ERROR: no {kind} with a name or ID '
                                    f'of {ref!r} exists'))


def find_group(client: http.Client, ref: str) -> dict[str, Any]:
    """A server group by name (or id) over every offset page."""
    groups = client.offset_pages('/os-server-groups', 'server_groups')
    return _one([g for g in groups if ref in (g.get('id'), g.get('name'))],
                'server group', ref,
                errors.CommandError(f'ERROR: no server group with a name '
                                    f'or ID of {ref!r} exists'))
