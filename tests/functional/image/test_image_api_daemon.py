"""nova-image-api as a real daemon (deployed mode): its own process
with two workers on one port, MariaDB, the noauth2 pipeline; driven by
the compute's Glance client over HTTP."""

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
from tests.multiprocess import daemons

CONF = prepare_conf()
TOKEN = 'alice:project-a'
DATA = os.urandom(1024 * 1024 + 5)


@pytest.fixture
def image_api(tmp_path: pathlib.Path) -> Iterator[str]:
    port = daemons.free_port()
    with database.provisioned(database.MYSQL, tmp_path) as db_url:
        database.migrate(db_url)
        config = daemons.write_config(str(tmp_path / 'nova.conf'), {
            'DEFAULT': {'state_path': str(tmp_path / 'state')},
            'database': {'connection': db_url},
            'api': {'auth_strategy': 'noauth2'},
            'image': {'image_api_listen': '127.0.0.1',
                      'image_api_listen_port': port,
                      'image_api_workers': 2},
        })
        with daemons.daemons() as started:
            daemon = daemons.Daemon('nova-image-api', [config],
                                    str(tmp_path))
            started.append(daemon)
            daemon.start()
            daemon.wait_ready(timeout=60)
            yield f'http://127.0.0.1:{port}'
            assert daemon.stop() == 0, daemon.log_tail()


@pytest.fixture
def client(image_api: str) -> Iterator[glance_client.GlanceClient]:
    CONF.set_override('api_servers', [image_api], group='glance')
    try:
        yield glance_client.GlanceClient()
    finally:
        CONF.clear_override('api_servers', group='glance')


def test_daemon_round_trip(image_api: str,
                           client: glance_client.GlanceClient,
                           tmp_path: pathlib.Path) -> None:
    versions = requests.get(image_api + '/versions', timeout=30).json()
    assert versions['versions'][0]['links'][0]['href'] == \
        image_api + '/v2/'

    context = nova_context.RequestContext(
        user_id='alice', project_id='project-a', auth_token=TOKEN)
    image = client.create(context, {'name': 'deployed',
                                    'disk_format': 'raw',
                                    'container_format': 'bare'})
    source = tmp_path / 'disk'
    source.write_bytes(DATA)
    client.upload(context, image['id'], str(source), 'raw')

    shown = client.get(context, image['id'])
    assert shown['status'] == 'active'
    assert shown['checksum'] == hashlib.md5(DATA).hexdigest()

    target = tmp_path / 'downloaded'
    client.download(context, image['id'], str(target))
    assert target.read_bytes() == DATA

    # Every worker serves the same store: ask several times.
    for _ in range(6):
        listed = requests.get(image_api + '/v2/images', timeout=30,
                              headers={'X-Auth-Token': TOKEN}).json()
        assert [i['id'] for i in listed['images']] == [image['id']]
