"""Query parameters of GET /v2/images (nova.image.endpoint.listing)."""

from __future__ import annotations

import urllib.parse

import pytest

from nova import context as nova_context
from nova import exception
from nova.image.endpoint import listing
from nova.image.endpoint import wsgi
from tests.fixtures.conf import prepare_conf

CONF = prepare_conf()
MARKER = '7d0a07c4-7bd5-4d4b-9b8a-8b2a6a4f1e60'


def _parse(query: str) -> listing.Query:
    req = wsgi.Request.blank('/images?' + query)
    req.environ['nova.context'] = nova_context.RequestContext(
        user_id='u', project_id='p')
    return listing.parse(req)


def test_defaults() -> None:
    query = _parse('')
    assert query.filters == {'hide_community_except': 'p'}
    assert (query.sort_keys, query.sort_dirs) == (['created_at'], ['desc'])
    assert query.limit == CONF.image.default_list_limit
    assert query.marker is None
    assert not query.nothing


def test_filters() -> None:
    query = _parse('name=n&status=active&disk_format=raw&tag=a&tag=b'
                   '&os_distro=debian&protected=true&visibility=public')
    assert query.filters == {
        'name': 'n', 'status': 'active', 'disk_format': 'raw',
        'visibility': 'public', 'protected': True, 'tags': ['a', 'b'],
        'properties': {'os_distro': 'debian'}}


def test_visibility_all_shows_community_images() -> None:
    assert _parse('visibility=all').filters == {}


def test_hidden_images_are_none() -> None:
    assert _parse('os_hidden=true').nothing
    assert not _parse('os_hidden=false').nothing


def test_sorting() -> None:
    query = _parse('sort=name:asc,size')
    assert (query.sort_keys, query.sort_dirs) == (['name', 'size'],
                                                  ['asc', 'desc'])
    query = _parse('sort_key=name&sort_key=id&sort_dir=asc')
    assert (query.sort_keys, query.sort_dirs) == (['name', 'id'],
                                                  ['asc', 'asc'])


def test_limit_is_capped() -> None:
    assert _parse('limit=100000').limit == CONF.image.max_list_limit
    assert _parse('limit=0').limit == 0


def test_next_link_keeps_the_query() -> None:
    query = _parse(f'name=n&limit=2&marker={MARKER}&sort=name:asc')
    link = query.next_link('last-id')
    path, _, raw = link.partition('?')
    assert path == '/v2/images'
    assert urllib.parse.parse_qsl(raw) == [
        ('name', 'n'), ('sort', 'name:asc'), ('limit', '2'),
        ('marker', 'last-id')]


@pytest.mark.parametrize('query', [
    'limit=-1', 'limit=ten', 'marker=nope', 'sort_key=secret',
    'sort_dir=sideways', 'sort=name:up', 'sort=name&sort_key=id',
    'sort_key=name&sort_key=id&sort_dir=asc&sort_dir=desc&sort_dir=asc',
    'visibility=everyone', 'protected=maybe', 'os_hidden=2',
    'size_min=10', 'created_at=gte:2020-01-01T00:00:00Z'])
def test_bad_queries(query: str) -> None:
    with pytest.raises(exception.Invalid):
        _parse(query)
