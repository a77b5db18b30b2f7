"""The Glance v2 compatible image endpoint over the local store, over
real HTTP.

The endpoint is the ``image_api`` application of api-paste.ini (noauth2
pipeline) served by our cheroot WSGI server on a free port, over a real
migrated SQLite database and a real store directory. Clients are
``requests`` (raw HTTP), a raw socket for the broken upload, and the
compute's own Glance client (nova.image.glance), which must work against
this endpoint exactly as against a real Glance.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from nova import context as nova_context
from nova import exception
from nova.api import server
from nova.image import api as image_api
from nova.image import glance as glance_client
from tests.fixtures.conf import prepare_conf
from tests.multiprocess import daemons

CONF = prepare_conf()

ALICE = 'alice:project-a'
BOB = 'bob:project-b'
READER = 'rita:project-a:reader'
ADMIN = 'admin:admin-project'
PATCH_TYPE = 'application/openstack-images-v2.1-json-patch'
DATA = os.urandom(300 * 1024 + 17)  # several chunks, odd size


class Endpoint:
    def __init__(self, url: str, store: pathlib.Path) -> None:
        self.url = url
        self.store = store

    def call(self, method: str, path: str, token: str = ALICE,
             **kwargs: Any) -> requests.Response:
        headers = {'X-Auth-Token': token, **kwargs.pop('headers', {})}
        return requests.request(method, self.url + path, headers=headers,
                                timeout=30, **kwargs)

    def create(self, token: str = ALICE, **body: Any) -> dict[str, Any]:
        resp = self.call('POST', '/v2/images', token, json=body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def upload(self, image_id: str, data: Any, token: str = ALICE,
               **headers: str) -> requests.Response:
        return self.call('PUT', f'/v2/images/{image_id}/file', token,
                         data=data, headers={
                             'Content-Type': 'application/octet-stream',
                             **headers})

    def show(self, image_id: str, token: str = ALICE) -> dict[str, Any]:
        resp = self.call('GET', f'/v2/images/{image_id}', token)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def patch(self, image_id: str, changes: Any,
              token: str = ALICE) -> requests.Response:
        return self.call('PATCH', f'/v2/images/{image_id}', token,
                         json=changes,
                         headers={'Content-Type': PATCH_TYPE})

    def partial_files(self) -> list[str]:
        if not self.store.exists():
            return []
        return [p.name for p in self.store.iterdir()
                if p.name.endswith('.part')]


@pytest.fixture(scope='module')
def endpoint(tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[Endpoint]:
    state = tmp_path_factory.mktemp('state')
    CONF.set_override('state_path', str(state))
    CONF.set_override('auth_strategy', 'noauth2', group='api')
    service = server.WSGIService(name='image_api', host='127.0.0.1',
                                 port=0)
    service.start()
    try:
        yield Endpoint(f'http://127.0.0.1:{service.port}',
                       state / 'images')
    finally:
        service.stop()
        service.wait()
        CONF.clear_override('auth_strategy', group='api')
        CONF.clear_override('state_path')


@pytest.fixture
def cloud(endpoint: Endpoint, db: str) -> Iterator[Endpoint]:
    """The endpoint over an empty database."""
    yield endpoint
    CONF.clear_override('max_image_size', group='image')


@pytest.fixture
def client(cloud: Endpoint) -> Iterator[glance_client.GlanceClient]:
    CONF.set_override('api_servers', [cloud.url], group='glance')
    CONF.set_override('num_retries', 0, group='glance')
    try:
        yield glance_client.GlanceClient()
    finally:
        CONF.clear_override('api_servers', group='glance')
        CONF.clear_override('num_retries', group='glance')


def _context(token: str = ALICE) -> nova_context.RequestContext:
    user, project = token.split(':')[:2]
    return nova_context.RequestContext(user_id=user, project_id=project,
                                       auth_token=token)


# -- versions and schemas ----------------------------------------------------
def test_versions_without_auth_link_to_v2(cloud: Endpoint) -> None:
    root = requests.get(cloud.url + '/', timeout=30)
    assert root.status_code == 300
    versions = requests.get(cloud.url + '/versions', timeout=30)
    assert versions.status_code == 200
    current = [v for v in versions.json()['versions']
               if v['status'] == 'CURRENT']
    assert current[0]['links'][0]['href'] == cloud.url + '/v2/'


def test_schemas(cloud: Endpoint) -> None:
    image = cloud.call('GET', '/v2/schemas/image').json()
    assert image['name'] == 'image'
    assert image['properties']['status']['readOnly'] is True
    assert image['additionalProperties'] == {'type': 'string',
                                             'maxLength': 65535}
    images = cloud.call('GET', '/v2/schemas/images').json()
    assert images['name'] == 'images'


def test_no_token_is_401(cloud: Endpoint) -> None:
    resp = requests.get(cloud.url + '/v2/images', timeout=30)
    assert resp.status_code == 401


# -- upload and download -----------------------------------------------------
def test_upload_download_round_trip_with_checksums(cloud: Endpoint) -> None:
    image = cloud.create(name='cirros', disk_format='raw',
                         container_format='bare', os_distro='cirros')
    assert (image['status'], image['visibility'], image['owner']) == (
        'queued', 'shared', 'project-a')
    assert image['self'] == f'/v2/images/{image["id"]}'

    # A generator makes requests send the body chunked (no length).
    chunks = (DATA[i:i + 50000] for i in range(0, len(DATA), 50000))
    resp = cloud.upload(image['id'], chunks)
    assert resp.status_code == 204, resp.text

    shown = cloud.show(image['id'])
    assert shown['status'] == 'active'
    assert shown['size'] == len(DATA)
    assert shown['checksum'] == hashlib.md5(DATA).hexdigest()
    assert shown['os_hash_algo'] == 'sha512'
    assert shown['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert shown['os_distro'] == 'cirros'

    download = cloud.call('GET', f'/v2/images/{image["id"]}/file')
    assert download.status_code == 200
    assert download.content == DATA
    assert download.headers['Content-MD5'] == shown['checksum']
    assert download.headers['Content-Type'] == 'application/octet-stream'


def test_upload_twice_is_409(cloud: Endpoint) -> None:
    image = cloud.create(name='once', disk_format='raw',
                         container_format='bare')
    assert cloud.upload(image['id'], b'first').status_code == 204
    resp = cloud.upload(image['id'], b'second')
    assert resp.status_code == 409
    assert 'queued' in resp.json()['message']


def test_upload_needs_octet_stream(cloud: Endpoint) -> None:
    image = cloud.create(name='typed')
    resp = cloud.call('PUT', f'/v2/images/{image["id"]}/file', data=b'x',
                      headers={'Content-Type': 'text/plain'})
    assert resp.status_code == 415
    assert cloud.show(image['id'])['status'] == 'queued'


def test_download_of_queued_image_is_204(cloud: Endpoint) -> None:
    image = cloud.create(name='empty')
    resp = cloud.call('GET', f'/v2/images/{image["id"]}/file')
    assert resp.status_code == 204


def test_over_size_limit_is_413_and_stays_queued(cloud: Endpoint) -> None:
    CONF.set_override('max_image_size', 1000, group='image')
    image = cloud.create(name='big', disk_format='raw',
                         container_format='bare')

    announced = cloud.upload(image['id'], b'x' * 1001)
    assert announced.status_code == 413
    # Chunked: no length to refuse up front, so the stream is cut off.
    streamed = cloud.upload(image['id'], (b'x' * 600 for _ in range(3)))
    assert streamed.status_code == 413
    assert 'limit of 1000 bytes' in streamed.json()['message']

    assert cloud.show(image['id'])['status'] == 'queued'
    assert cloud.partial_files() == []
    # At the limit is fine.
    assert cloud.upload(image['id'], b'x' * 1000).status_code == 204


def test_broken_upload_stays_queued_and_leaves_no_file(
        cloud: Endpoint) -> None:
    image = cloud.create(name='broken', disk_format='raw',
                         container_format='bare')
    host, port = cloud.url.rsplit('/', 1)[1].split(':')
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(
            f'PUT /v2/images/{image["id"]}/file HTTP/1.1\r\n'
            f'Host: {host}\r\nX-Auth-Token: {ALICE}\r\n'
            f'Content-Type: application/octet-stream\r\n'
            f'Content-Length: {len(DATA)}\r\n\r\n'.encode())
        sock.sendall(DATA[:100000])
        daemons.wait_for(
            lambda: cloud.show(image['id'])['status'] == 'saving',
            timeout=10, what='the upload to start')
        # The client dies mid-upload.
    daemons.wait_for(
        lambda: cloud.show(image['id'])['status'] == 'queued',
        timeout=20, what='the image to go back to queued')
    daemons.wait_for(lambda: cloud.partial_files() == [], timeout=10,
                     what='the partial file to be removed')
    assert cloud.show(image['id'])['checksum'] is None
    # And it can be uploaded again.
    assert cloud.upload(image['id'], DATA).status_code == 204
    assert cloud.show(image['id'])['status'] == 'active'


def _qcow2(path: pathlib.Path, *options: str) -> pathlib.Path:
    subprocess.run(['qemu-img', 'create', '-f', 'qcow2', *options,
                    str(path), '1M'], check=True, capture_output=True)
    return path


@pytest.mark.parametrize('declared,make,reason', [
    ('raw', lambda p: _qcow2(p), 'its contents are qcow2'),
    ('qcow2', lambda p: _qcow2(p, '-b', '/etc/hostname', '-F', 'raw'),
     'backing file'),
    ('qcow2', lambda p: p.write_bytes(DATA) and p, 'contents are raw'),
])
def test_upload_of_unsafe_disk_is_400_and_stays_queued(
        cloud: Endpoint, tmp_path: pathlib.Path, declared: str,
        make: Any, reason: str) -> None:
    path = tmp_path / 'disk'
    make(path)
    image = cloud.create(name='unsafe', disk_format=declared,
                         container_format='bare')
    resp = cloud.upload(image['id'], path.read_bytes())
    assert resp.status_code == 400, resp.text
    assert reason in resp.json()['message']
    assert cloud.show(image['id'])['status'] == 'queued'
    assert cloud.partial_files() == []
    assert not (cloud.store / image['id']).exists()


def test_upload_needs_formats(cloud: Endpoint) -> None:
    image = cloud.create(name='formless')
    resp = cloud.upload(image['id'], b'data')
    assert resp.status_code == 400
    assert 'disk_format, container_format must be set' in \
        resp.json()['message']


# -- the compute's client against this endpoint -------------------------------
def test_glance_client_downloads_and_verifies(
        cloud: Endpoint, client: glance_client.GlanceClient,
        tmp_path: pathlib.Path) -> None:
    image = cloud.create(name='boot', disk_format='raw',
                         container_format='bare')
    assert cloud.upload(image['id'], DATA).status_code == 204

    target = tmp_path / 'cached'
    client.download(_context(), image['id'], str(target))
    assert target.read_bytes() == DATA

    # Bytes changed behind the store's back: the download is refused
    # and nothing is left at the destination.
    stored = cloud.store / image['id']
    stored.write_bytes(DATA[:-1] + b'\0')
    corrupt = tmp_path / 'corrupt'
    with pytest.raises(exception.ImageChecksumMismatch):
        client.download(_context(), image['id'], str(corrupt))
    assert not corrupt.exists()
    assert [p.name for p in tmp_path.iterdir()] == ['cached']


def test_glance_client_uploads_snapshot(
        cloud: Endpoint, client: glance_client.GlanceClient,
        tmp_path: pathlib.Path) -> None:
    image = client.create(_context(), {'name': 'snap',
                                       'container_format': 'bare'})
    source = _qcow2(tmp_path / 'disk')

    client.upload(_context(), image['id'], str(source), 'qcow2')

    shown = client.get(_context(), image['id'])
    assert (shown['status'], shown['disk_format']) == ('active', 'qcow2')
    assert shown['virtual_size'] == 1024 * 1024
    assert shown['os_hash_value'] == \
        hashlib.sha512(source.read_bytes()).hexdigest()


def test_glance_client_sees_only_what_the_token_may(
        cloud: Endpoint, client: glance_client.GlanceClient) -> None:
    image = cloud.create(name='mine')
    with pytest.raises(exception.ImageNotFound):
        client.get(_context(BOB), image['id'])
    assert [i['id'] for i in client.get_all(_context(ALICE))] == \
        [image['id']]


def test_image_api_with_the_glance_backend(
        cloud: Endpoint, client: glance_client.GlanceClient) -> None:
    """[image] backend = glance: the API facade over HTTP, here against
    our own endpoint, behaves like the local backend."""
    image = cloud.create(name='remote', disk_format='raw',
                         container_format='bare', os_distro='debian')
    cloud.create(BOB, name='hidden')
    CONF.set_override('backend', 'glance', group='image')
    try:
        api = image_api.API()
    finally:
        CONF.clear_override('backend', group='image')
    assert isinstance(api.backend, glance_client.GlanceClient)

    assert [i['name'] for i in api.get_all(_context())] == ['remote']
    found = api.get_by_name_or_id(_context(), 'remote')
    assert found['id'] == image['id']
    assert found['properties'] == {'os_distro': 'debian'}
    with pytest.raises(exception.ImageNotFound):
        api.get_by_name_or_id(_context(), 'hidden')
    api.delete(_context(), image['id'])
    with pytest.raises(exception.ImageNotFound):
        api.get(_context(), image['id'])


# -- JSON patch ------------------------------------------------------------
def test_patch_add_replace_remove(cloud: Endpoint) -> None:
    image = cloud.create(name='old', os_distro='debian', tags=['a'])
    resp = cloud.patch(image['id'], [
        {'op': 'replace', 'path': '/name', 'value': 'new'},
        {'op': 'add', 'path': '/hw_disk_bus', 'value': 'virtio'},
        {'op': 'remove', 'path': '/os_distro'},
        {'op': 'replace', 'path': '/min_ram', 'value': 512},
        {'op': 'replace', 'path': '/tags', 'value': ['b', 'c']},
        {'op': 'replace', 'path': '/visibility', 'value': 'private'},
    ])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body['name'], body['hw_disk_bus'], body['min_ram'],
            body['visibility']) == ('new', 'virtio', 512, 'private')
    assert 'os_distro' not in body
    assert body['tags'] == ['b', 'c']
    assert cloud.show(image['id']) == body


@pytest.mark.parametrize('changes,status,text', [
    ([{'op': 'replace', 'path': '/status', 'value': 'active'}], 403,
     "'status' is read-only"),
    ([{'op': 'remove', 'path': '/name'}], 403, 'reserved'),
    ([{'op': 'replace', 'path': '/nothing', 'value': 'x'}], 409,
     'does not exist'),
    ([{'op': 'remove', 'path': '/nothing'}], 409, 'does not exist'),
    ([{'op': 'move', 'path': '/name', 'from': '/x'}], 400, 'move'),
    ([{'op': 'add', 'path': '/min_ram', 'value': -1}], 400, 'min_ram'),
    ([{'op': 'add', 'path': '/disk_format', 'value': 'exe'}], 400,
     'disk_format'),
    ([{'op': 'add', 'path': '/prop', 'value': 1}], 400, 'prop'),
    ([{'op': 'add', 'path': '/a/b', 'value': 'x'}], 400, 'pointer'),
    ([{'op': 'add', 'path': '/visibility', 'value': 'public'}], 403,
     'public'),
    ({'op': 'add'}, 400, 'list'),
])
def test_patch_refusals(cloud: Endpoint, changes: Any, status: int,
                        text: str) -> None:
    image = cloud.create(name='fixed')
    resp = cloud.patch(image['id'], changes)
    assert resp.status_code == status, resp.text
    assert text in resp.json()['message']
    assert cloud.show(image['id']) == image


def test_patch_needs_patch_media_type(cloud: Endpoint) -> None:
    image = cloud.create(name='x')
    resp = cloud.call('PATCH', f'/v2/images/{image["id"]}', json=[])
    assert resp.status_code == 415


# -- list: filters, sorting and paging ----------------------------------------
def test_paging_follows_next_links(cloud: Endpoint) -> None:
    ids = {cloud.create(name=f'img-{i}')['id'] for i in range(5)}
    seen: list[str] = []
    path: str | None = '/v2/images?limit=2&sort=name:asc'
    pages = 0
    while path:
        body = cloud.call('GET', path).json()
        seen += [image['name'] for image in body['images']]
        assert body['first'] == '/v2/images'
        path = body.get('next')
        pages += 1
    assert seen == [f'img-{i}' for i in range(5)]
    assert pages == 3
    listed = cloud.call('GET', '/v2/images').json()['images']
    assert {i['id'] for i in listed} == ids


def test_filters_and_sort(cloud: Endpoint) -> None:
    cloud.create(name='a', disk_format='raw', container_format='bare',
                 os_distro='debian', tags=['x', 'y'])
    cloud.create(name='b', disk_format='qcow2', container_format='bare',
                 os_distro='cirros', tags=['x'])
    cloud.create(ADMIN, name='c', visibility='public')

    def names(query: str, token: str = ALICE) -> list[str]:
        resp = cloud.call('GET', '/v2/images?' + query, token)
        assert resp.status_code == 200, resp.text
        return [i['name'] for i in resp.json()['images']]

    assert names('sort_key=name&sort_dir=asc') == ['a', 'b', 'c']
    assert names('disk_format=qcow2') == ['b']
    assert names('os_distro=debian') == ['a']
    assert names('tag=x&tag=y') == ['a']
    assert names('visibility=public') == ['c']
    assert names('name=b') == ['b']
    assert names('sort=name:desc', BOB) == ['c']


@pytest.mark.parametrize('query', [
    'limit=-1', 'limit=x', 'marker=not-an-id', 'sort_key=bogus',
    'sort_dir=up', 'sort=name:up', 'visibility=everyone',
    'protected=maybe', 'size_min=1',
    'marker=7d0a07c4-7bd5-4d4b-9b8a-8b2a6a4f1e60'])
def test_bad_list_queries_are_400(cloud: Endpoint, query: str) -> None:
    resp = cloud.call('GET', '/v2/images?' + query)
    assert resp.status_code == 400, resp.text


# -- create, show, delete and who may do what ---------------------------------
@pytest.mark.parametrize('body,status', [
    ({'status': 'active'}, 403),
    ({'checksum': 'x'}, 403),
    ({'disk_format': 'exe'}, 400),
    ({'name': 1}, 400),
    ({'id': 'not-a-uuid'}, 400),
    ({'min_disk': 'big'}, 400),
    ({'visibility': 'public'}, 403),
    ({'owner': 'project-b'}, 403),
    ({'os_distro': ['not', 'a', 'string']}, 400),
    ({'x' * 256: 'long name'}, 400),
    ({'': 'no name'}, 400),
    ({f'p{i}': 'v' for i in range(129)}, 413),
])
def test_create_refusals(cloud: Endpoint, body: dict[str, Any],
                         status: int) -> None:
    resp = cloud.call('POST', '/v2/images', json=body)
    assert resp.status_code == status, resp.text
    assert resp.json()['message']
    assert cloud.call('GET', '/v2/images').json()['images'] == []


def test_create_bad_bodies(cloud: Endpoint) -> None:
    bad_json = cloud.call('POST', '/v2/images', data=b'{',
                          headers={'Content-Type': 'application/json'})
    assert bad_json.status_code == 400
    a_list = cloud.call('POST', '/v2/images', json=['x'])
    assert a_list.status_code == 400
    wrong_type = cloud.call('POST', '/v2/images', data=b'{}',
                            headers={'Content-Type': 'text/plain'})
    assert wrong_type.status_code == 415


def test_create_with_id_twice_is_409(cloud: Endpoint) -> None:
    image_id = '0b5a8f3e-7c55-4f0c-9d58-6f1e2c3d4a5b'
    assert cloud.create(id=image_id)['id'] == image_id
    resp = cloud.call('POST', '/v2/images', json={'id': image_id})
    assert resp.status_code == 409


def test_other_projects_and_readers(cloud: Endpoint) -> None:
    image = cloud.create(name='private', visibility='private')
    path = f'/v2/images/{image["id"]}'
    assert cloud.call('GET', path, BOB).status_code == 404
    assert cloud.call('DELETE', path, BOB).status_code == 404
    assert cloud.call('GET', path, READER).status_code == 200
    assert cloud.call('DELETE', path, READER).status_code == 403
    assert cloud.call('POST', '/v2/images', READER,
                      json={'name': 'x'}).status_code == 403
    assert cloud.call('GET', path, ADMIN).status_code == 200

    public = cloud.create(ADMIN, name='public', visibility='public')
    public_path = f'/v2/images/{public["id"]}'
    assert cloud.call('GET', public_path, BOB).status_code == 200
    assert cloud.patch(public['id'], [
        {'op': 'replace', 'path': '/name', 'value': 'mine'}],
        BOB).status_code == 403


def test_delete_removes_data_and_protected_is_403(cloud: Endpoint) -> None:
    image = cloud.create(name='gone', protected=True, disk_format='raw',
                         container_format='bare')
    assert cloud.upload(image['id'], DATA).status_code == 204
    path = f'/v2/images/{image["id"]}'
    assert cloud.call('DELETE', path).status_code == 403
    assert cloud.patch(image['id'], [
        {'op': 'replace', 'path': '/protected', 'value': False}
    ]).status_code == 200

    assert cloud.call('DELETE', path).status_code == 204
    assert cloud.call('GET', path).status_code == 404
    assert cloud.call('DELETE', path).status_code == 404
    assert not (cloud.store / image['id']).exists()


def test_tags(cloud: Endpoint) -> None:
    image = cloud.create(name='tagged')
    path = f'/v2/images/{image["id"]}/tags'
    assert cloud.call('PUT', f'{path}/one').status_code == 204
    assert cloud.call('PUT', f'{path}/one').status_code == 204
    assert cloud.show(image['id'])['tags'] == ['one']
    assert cloud.call('DELETE', f'{path}/one').status_code == 204
    assert cloud.call('DELETE', f'{path}/one').status_code == 404


@pytest.mark.parametrize('method,path,status', [
    ('GET', '/v2/images/not-a-uuid', 404),
    ('GET', '/v2/images/7d0a07c4-7bd5-4d4b-9b8a-8b2a6a4f1e60', 404),
    ('GET', '/v2/nothing', 404),
    ('PUT', '/v2/images', 405),
    ('GET', '/v3', 404),
])
def test_unknown_things(cloud: Endpoint, method: str, path: str,
                        status: int) -> None:
    resp = cloud.call(method, path)
    assert resp.status_code == status
    assert resp.json()['message']
    if status == 405:
        assert resp.headers['Allow'] == 'GET, POST'
