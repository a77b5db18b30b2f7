"""The Glance v2 backend (nova.image.glance) against a real Glance.

Images are put into Glance through Glance's own API (the fixture's raw
HTTP calls), then read back through our client, so a test passes only
when the client really speaks Glance v2: shapes, paging links, streamed
downloads and the hashes Glance computes itself.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from nova import context as nova_context
from nova import exception
from nova.image import glance as glance_backend
from tests.fixtures.conf import prepare_conf
from tests.fixtures.glance import glance  # noqa: F401
from tests.multiprocess import daemons

DATA = os.urandom(300 * 1024 + 17)  # several download chunks, odd size


@pytest.fixture
def conf(glance):  # noqa: F811
    conf = prepare_conf()
    conf.set_override('api_servers', [glance.url], 'glance')
    conf.set_override('download_chunk_size', 64 * 1024, 'glance')
    yield conf
    for name in ('api_servers', 'num_retries', 'download_chunk_size',
                 'verify_glance_signatures'):
        conf.clear_override(name, 'glance')


@pytest.fixture
def client(conf):
    return glance_backend.GlanceClient()


@pytest.fixture
def ctxt():
    return nova_context.RequestContext(user_id='demo', project_id='demo')


def test_show_gives_fields_and_properties(glance, client, ctxt):  # noqa: F811
    uploaded = glance.upload_image(DATA, name='cirros', disk_format='raw',
                                   os_distro='cirros', hw_disk_bus='virtio')

    image = client.get(ctxt, uploaded['id'])

    assert image['id'] == uploaded['id']
    assert (image['name'], image['status'], image['disk_format']) == (
        'cirros', 'active', 'raw')
    assert image['size'] == len(DATA)
    assert image['checksum'] == hashlib.md5(DATA).hexdigest()
    assert image['os_hash_algo'] == 'sha512'
    assert image['properties'] == {'os_distro': 'cirros',
                                   'hw_disk_bus': 'virtio'}
    assert 'file' not in image and 'schema' not in image


def test_unknown_image_is_not_found(client, ctxt):
    with pytest.raises(exception.ImageNotFound):
        client.get(ctxt, '8d7ee8a4-0bbb-4b5e-9d4e-6e4f2c3b1a00')
    with pytest.raises(exception.ImageNotFound):
        client.download(ctxt, '8d7ee8a4-0bbb-4b5e-9d4e-6e4f2c3b1a00',
                        '/nonexistent/never-written')


def test_list_follows_next_links_across_pages(glance, client, ctxt):  # noqa: F811
    ids = {glance.upload_image(b'x' * n, name=f'paged-{n}',
                               tags=['paging'])['id'] for n in range(1, 6)}

    # A page size of 2 makes Glance answer with three pages.
    listed = client.get_all(ctxt, {'tag': 'paging', 'limit': 2})
    first_three = client.get_all(ctxt, {'tag': 'paging', 'limit': 2},
                                 limit=3)

    assert {image['id'] for image in listed} == ids
    assert len(listed) == 5
    assert len(first_three) == 3
    assert client.get_all(ctxt, {'name': 'paged-3'})[0]['size'] == 3


def test_download_round_trip_is_byte_identical(glance, client, ctxt,  # noqa: F811
                                               tmp_path):
    image = glance.upload_image(DATA, name='round-trip')
    dst = tmp_path / 'image'

    client.download(ctxt, image['id'], str(dst))

    assert dst.read_bytes() == DATA
    assert os.listdir(tmp_path) == ['image']  # no temporary file left


# A changed byte fails the hash check; missing bytes break the stream
# (Glance promised the recorded size in Content-Length).
@pytest.mark.parametrize('corrupt,error,message', [
    ('flip-a-byte', exception.ImageChecksumMismatch, 'corrupted'),
    ('truncate', exception.ImageServiceUnavailable, 'broke after'),
])
def test_corrupted_data_is_refused(glance, client, ctxt, tmp_path,  # noqa: F811
                                   corrupt, error, message):
    image = glance.upload_image(DATA, name=f'corrupt-{corrupt}')
    stored = glance.stored_file(image['id'])
    damaged = bytearray(stored.read_bytes())
    if corrupt == 'truncate':
        del damaged[-1000:]
    else:
        damaged[1234] ^= 0xFF
    stored.write_bytes(bytes(damaged))
    dst = tmp_path / 'image'

    with pytest.raises(error, match=message) as err:
        client.download(ctxt, image['id'], str(dst))

    assert image['id'] in str(err.value)
    assert os.listdir(tmp_path) == []  # neither dst nor a partial file


def test_image_without_data_cannot_be_downloaded(glance, client, ctxt,  # noqa: F811
                                                 tmp_path):
    status, image = glance.request('POST', '/v2/images', {
        'name': 'queued', 'disk_format': 'raw', 'container_format': 'bare'})
    assert status == 201

    with pytest.raises(exception.ImageUnacceptable, match='no data'):
        client.download(ctxt, image['id'], str(tmp_path / 'image'))
    assert os.listdir(tmp_path) == []


def test_snapshot_create_and_upload(glance, client, ctxt, tmp_path):  # noqa: F811
    # Glance checks that data matches its disk_format: random is raw.
    snapshot = tmp_path / 'snapshot.raw'
    snapshot.write_bytes(DATA)

    created = client.create(ctxt, {
        'name': 'snap-1', 'container_format': 'bare',
        'properties': {'image_type': 'snapshot', 'instance_uuid': 'i-1',
                       'min_vcpus': 1}})
    assert created['status'] == 'queued'
    client.upload(ctxt, created['id'], str(snapshot), 'raw')

    status, shown = glance.request('GET', f'/v2/images/{created["id"]}')
    assert status == 200
    assert (shown['status'], shown['disk_format'], shown['size']) == (
        'active', 'raw', len(DATA))
    assert shown['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert (shown['image_type'], shown['min_vcpus']) == ('snapshot', '1')
    client.download(ctxt, created['id'], str(tmp_path / 'back'))
    assert (tmp_path / 'back').read_bytes() == DATA


def test_update_and_delete(glance, client, ctxt):  # noqa: F811
    image = glance.upload_image(b'abc', name='to-delete')

    updated = client.update(ctxt, image['id'], {
        'name': 'renamed', 'properties': {'os_type': 'linux'}})
    client.delete(ctxt, image['id'])

    assert updated['name'] == 'renamed'
    assert updated['properties']['os_type'] == 'linux'
    with pytest.raises(exception.ImageNotFound):
        client.get(ctxt, image['id'])


def test_glance_refusal_is_not_authorized(glance, client, ctxt):  # noqa: F811
    image = glance.upload_image(b'abc', name='protected', protected=True)
    try:
        with pytest.raises(exception.ImageNotAuthorized,
                           match=image['id']):
            client.delete(ctxt, image['id'])
    finally:
        glance.request('PATCH', f'/v2/images/{image["id"]}',
                       [{'op': 'replace', 'path': '/protected',
                         'value': False}],
                       {'Content-Type':
                        'application/openstack-images-v2.1-json-patch'})


def test_bad_request_is_invalid(client, ctxt):
    with pytest.raises(exception.Invalid, match='Glance refused'):
        client.create(ctxt, {'name': 'x', 'disk_format': 'no-such-format'})


def test_next_server_is_tried_when_one_is_down(glance, conf, ctxt):  # noqa: F811
    image = glance.upload_image(b'abc', name='fail-over')
    dead = f'http://127.0.0.1:{daemons.free_port()}'
    conf.set_override('api_servers', [dead, glance.url], 'glance')
    conf.set_override('num_retries', 1, 'glance')

    assert glance_backend.GlanceClient().get(ctxt, image['id'])['id'] == \
        image['id']


def test_unreachable_glance_is_service_unavailable(conf, ctxt):
    dead = f'http://127.0.0.1:{daemons.free_port()}'
    conf.set_override('api_servers', [dead], 'glance')
    conf.set_override('num_retries', 0, 'glance')

    with pytest.raises(exception.ImageServiceUnavailable, match='image '
                       'service is unavailable'):
        glance_backend.GlanceClient().get_all(ctxt)


def test_signature_verification_is_refused_not_skipped(glance, conf,  # noqa: F811
                                                       client, ctxt,
                                                       tmp_path):
    image = glance.upload_image(b'abc', name='signed?')
    conf.set_override('verify_glance_signatures', True, 'glance')

    with pytest.raises(exception.ImageUnacceptable, match='signature'):
        client.download(ctxt, image['id'], str(tmp_path / 'image'))
