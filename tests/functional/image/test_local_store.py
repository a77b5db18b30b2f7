"""The local image store and the image API facade over a real database
(SQLite, MariaDB, PostgreSQL) and a real store directory."""

from __future__ import annotations

import hashlib
import io
import pathlib
from collections.abc import Iterator

import pytest

from nova import context as nova_context
from nova import exception
from nova.db.api import images as images_db
from nova.image import api as image_api
from nova.image import local
from tests.fixtures import database
from tests.fixtures.conf import prepare_conf

CONF = prepare_conf()
DATA = b'0123456789' * 10000


@pytest.fixture
def store(db: str, tmp_path: pathlib.Path) -> Iterator[pathlib.Path]:
    CONF.set_override('store_dir', str(tmp_path / 'images'),
                      group='image')
    try:
        yield tmp_path / 'images'
    finally:
        CONF.clear_override('store_dir', group='image')
        CONF.clear_override('max_image_size', group='image')


def _ctx(project: str = 'project-a') -> nova_context.RequestContext:
    return nova_context.RequestContext(user_id='u', project_id=project,
                                       roles=['member'])


@database.all_backends
def test_status_compare_and_set(store: pathlib.Path) -> None:
    ctx = _ctx()
    image = images_db.image_create(ctx, {'name': 'x', 'status': 'queued'})
    moved = images_db.image_set_status(ctx, image['id'], 'queued',
                                       'saving')
    assert moved['status'] == 'saving'
    # The second mover loses.
    assert images_db.image_set_status(ctx, image['id'], 'queued',
                                      'saving') is None
    images_db.image_destroy(ctx, image['id'])
    with pytest.raises(exception.ImageNotFound):
        images_db.image_set_status(ctx, image['id'], 'saving', 'queued')


@database.all_backends
def test_listing_filters_and_paging(store: pathlib.Path) -> None:
    service = local.LocalImageService()
    for name, owner, visibility in (('a', 'project-a', 'community'),
                                    ('b', 'project-b', 'community'),
                                    ('c', 'project-b', 'public'),
                                    ('d', 'project-b', 'private'),
                                    ('e', 'project-a', 'shared')):
        service.create(_ctx(owner), {'name': name,
                                     'visibility': visibility,
                                     'properties': {'os': name},
                                     'tags': ['t', name]})

    def names(**kwargs: object) -> list[str]:
        return [i['name'] for i in service.get_all(
            _ctx(), sort_key=['visibility', 'name'],
            sort_dir=['asc', 'desc'], **kwargs)]

    # community < public < shared; names descending within each.
    assert names() == ['b', 'a', 'c', 'e']
    assert names(filters={'hide_community_except': 'project-a'}) == [
        'a', 'c', 'e']
    assert names(filters={'properties': {'os': 'c'}, 'tags': ['t']}) == [
        'c']
    first = names(limit=2)
    marker = service.get_all(_ctx(), sort_key=['visibility', 'name'],
                             sort_dir=['asc', 'desc'], limit=2)[-1]['id']
    assert first + names(marker=marker) == ['b', 'a', 'c', 'e']


@database.all_backends
def test_receive_hashes_and_activates(store: pathlib.Path) -> None:
    service = local.LocalImageService()
    image = service.create(_ctx(), {'name': 'x', 'disk_format': 'raw'})
    done = service.receive(_ctx(), image['id'], io.BytesIO(DATA),
                           len(DATA))
    assert (done['status'], done['size']) == ('active', len(DATA))
    assert done['checksum'] == hashlib.md5(DATA).hexdigest()
    assert done['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert (store / image['id']).read_bytes() == DATA
    with pytest.raises(local.ImageUploadConflict):
        service.receive(_ctx(), image['id'], io.BytesIO(b'x'), 1)


@pytest.mark.parametrize('length,limit,error', [
    (len(DATA) + 1, len(DATA) * 2, local.IncompleteUpload),
    (None, len(DATA) - 1, local.ImageTooLarge),  # found while reading
    (len(DATA), len(DATA) - 1, local.ImageTooLarge),  # refused up front
])
def test_failed_receive_stays_queued(store: pathlib.Path,
                                     length: int | None, limit: int,
                                     error: type[Exception]) -> None:
    CONF.set_override('max_image_size', limit, group='image')
    service = local.LocalImageService()
    image = service.create(_ctx(), {'name': 'x'})
    with pytest.raises(error):
        service.receive(_ctx(), image['id'], io.BytesIO(DATA), length)
    assert service.get(_ctx(), image['id'])['status'] == 'queued'
    assert not store.exists() or list(store.iterdir()) == []


class _BrokenStream(io.BytesIO):
    """A client connection that breaks after the first chunk."""

    def read(self, size: int = -1) -> bytes:
        if self.tell():
            raise ConnectionResetError('connection reset by peer')
        return super().read(size)


def test_broken_stream_stays_queued(store: pathlib.Path) -> None:
    service = local.LocalImageService()
    image = service.create(_ctx(), {'name': 'x', 'disk_format': 'raw'})
    with pytest.raises(local.UploadInterrupted, match='reset by peer'):
        service.receive(_ctx(), image['id'], _BrokenStream(DATA), None)
    assert service.get(_ctx(), image['id'])['status'] == 'queued'
    assert list(store.iterdir()) == []


def test_facade_lookups_and_visibility(store: pathlib.Path) -> None:
    api = image_api.API()
    mine = api.create(_ctx(), {'name': 'mine', 'visibility': 'private',
                               'properties': {'os_distro': 'debian'}})
    assert mine['properties'] == {'os_distro': 'debian'}
    assert mine['owner'] == 'project-a'
    theirs = api.create(_ctx('project-b'), {'name': 'theirs',
                                            'visibility': 'private'})
    api.create(_ctx('project-b'), {'name': 'public',
                                   'visibility': 'public'})

    assert sorted(i['name'] for i in api.get_all(_ctx())) == [
        'mine', 'public']
    assert api.get_by_name_or_id(_ctx(), 'mine')['id'] == mine['id']
    assert api.get_by_name_or_id(_ctx(), mine['id'])['name'] == 'mine'
    with pytest.raises(exception.ImageNotFound):
        api.get_by_name_or_id(_ctx(), 'theirs')
    with pytest.raises(exception.ImageNotFound):
        api.get(_ctx(), theirs['id'])
    assert api.get(_ctx('project-b'), theirs['id'])['name'] == 'theirs'
    with pytest.raises(exception.ImageNotFound):
        api.get(_ctx(), 'not-a-uuid')


def test_facade_driver_calls(store: pathlib.Path,
                             tmp_path: pathlib.Path) -> None:
    api = image_api.API()
    image = api.create(_ctx(), {'name': 'snap'})
    source = tmp_path / 'disk'
    source.write_bytes(DATA)
    api.upload(_ctx(), image['id'], str(source), 'raw')
    shown = api.get(_ctx(), image['id'])
    assert (shown['status'], shown['disk_format'], shown['virtual_size'],
            shown['container_format']) == ('active', 'raw', len(DATA),
                                           'bare')

    target = tmp_path / 'copy'
    api.download(_ctx(), image['id'], str(target))
    assert target.read_bytes() == DATA

    api.delete(_ctx(), image['id'])
    assert not (store / image['id']).exists()
    with pytest.raises(exception.ImageNotFound):
        api.get(_ctx(), image['id'])
