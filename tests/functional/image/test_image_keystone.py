"""nova-image-api behind the ``keystone`` pipeline, against a real
Keystone (tests/fixtures/keystone.py): the deployed mode's auth.

Versions are public; everything under /v2 needs a valid token, and the
image belongs to the token's project. The compute's Glance client,
carrying the user's token in its context, downloads the image.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
from collections.abc import Iterator

import pytest
import requests

from nova import context as nova_context
from nova.image import glance as glance_client
from tests.fixtures import database
from tests.fixtures.conf import prepare_conf
from tests.fixtures.keystone import Keystone
from tests.fixtures.keystone import keystone  # noqa: F401
from tests.multiprocess import daemons

CONF = prepare_conf()
DATA = os.urandom(200 * 1024 + 1)


@pytest.fixture(scope='module')
def image_api(keystone: Keystone,  # noqa: F811
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp('image-keystone')
    port = daemons.free_port()
    with database.provisioned(database.SQLITE, workdir) as db_url:
        database.migrate(db_url)
        config = daemons.write_config(str(workdir / 'nova.conf'), {
            'DEFAULT': {'state_path': str(workdir / 'state'),
                        'transport_url': 'fake://'},
            'database': {'connection': db_url},
            'api': {'auth_strategy': 'keystone'},
            'image': {'image_api_listen': '127.0.0.1',
                      'image_api_listen_port': port},
            'keystone_authtoken': {
                'www_authenticate_uri': keystone.url,
                'auth_url': keystone.url,
                'auth_type': 'password',
                'username': keystone.service.name,
                'password': keystone.service.password,
                'project_name': keystone.service.project,
                'user_domain_name': 'Default',
                'project_domain_name': 'Default',
                # Validate every request with Keystone (no in-process
                # token cache), as the Compute API's keystone test does.
                'token_cache_time': -1,
            },
        })
        with daemons.daemons() as started:
            daemon = daemons.Daemon('nova-image-api', [config],
                                    str(workdir))
            started.append(daemon)
            daemon.start()
            daemon.wait_ready(timeout=60)
            yield f'http://127.0.0.1:{port}'
            assert daemon.stop() == 0, daemon.log_tail()


def test_versions_need_no_token(image_api: str) -> None:
    assert requests.get(image_api + '/', timeout=30).status_code == 300


@pytest.mark.parametrize('token', [None, 'gAAAAAB-not-a-real-token'])
def test_no_valid_token_is_401(image_api: str, token: str | None) -> None:
    headers = {'X-Auth-Token': token} if token else {}
    resp = requests.get(image_api + '/v2/images', headers=headers,
                        timeout=30)
    assert resp.status_code == 401


def test_member_uploads_and_compute_downloads(
        image_api: str, keystone: Keystone,  # noqa: F811
        tmp_path: pathlib.Path) -> None:
    token, _ = keystone.token(keystone.demo)
    headers = {'X-Auth-Token': token}
    created = requests.post(image_api + '/v2/images', headers=headers,
                            json={'name': 'ks', 'disk_format': 'raw',
                                  'container_format': 'bare'}, timeout=30)
    assert created.status_code == 201, created.text
    image = created.json()
    assert image['owner'] == keystone.demo.project_id
    upload = requests.put(
        f'{image_api}/v2/images/{image["id"]}/file', data=DATA,
        headers={**headers, 'Content-Type': 'application/octet-stream'},
        timeout=30)
    assert upload.status_code == 204, upload.text

    CONF.set_override('api_servers', [image_api], group='glance')
    try:
        context = nova_context.RequestContext(
            user_id=keystone.demo.user_id,
            project_id=keystone.demo.project_id, auth_token=token)
        target = tmp_path / 'image'
        glance_client.GlanceClient().download(context, image['id'],
                                              str(target))
    finally:
        CONF.clear_override('api_servers', group='glance')
    assert hashlib.sha512(target.read_bytes()).hexdigest() == \
        hashlib.sha512(DATA).hexdigest()
