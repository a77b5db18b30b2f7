"""The embedded default (nova-all) driven by real OpenStack clients.

One ``python -m nova.cmd.all`` process per module, with its state in a
temporary directory, is driven by openstacksdk and by the ``openstack``
CLI through flavors, key pairs, servers and services.

There is no Keystone: the embedded API runs the noauth2 pipeline, which
takes ``X-Auth-Token: user:project``. Both clients use keystoneauth's
``admin_token`` plugin, which sends a fixed token to a fixed endpoint
(the compute API) for every service. The CLI is configured through a
clouds.yaml that also gives the identity service a ``/v3`` endpoint
override: ``openstack server list`` insists on an identity v3 proxy,
and without the override the SDK infers version 2 from the compute URL
(``/v2.1``). No identity request is made.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.multiprocess import daemons

openstack = pytest.importorskip('openstack')

# The SDK's own deprecation notices about its internals.
pytestmark = [
    pytest.mark.filterwarnings(f'ignore::openstack.warnings.{name}')
    for name in ('RemovedInSDK50Warning', 'RemovedInSDK60Warning')]

TOKEN = 'admin:admin'
FLAVORS = ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge']
OPENSTACK_CLI = os.path.join(os.path.dirname(sys.executable), 'openstack')


class Embedded:
    def __init__(self, workdir: pathlib.Path, port: int) -> None:
        self.workdir = workdir
        self.endpoint = f'http://127.0.0.1:{port}/v2.1'
        self.identity = f'http://127.0.0.1:{port}/identity/v3'

    def connect(self) -> Any:
        return openstack.connection.Connection(
            auth_type='admin_token',
            auth={'endpoint': self.endpoint, 'token': TOKEN})

    def clouds_yaml(self) -> pathlib.Path:
        path = self.workdir / 'clouds.yaml'
        path.write_text(
            'clouds:\n'
            '  embedded:\n'
            '    auth_type: admin_token\n'
            '    auth:\n'
            f'      endpoint: {self.endpoint}\n'
            f'      token: "{TOKEN}"\n'
            "    identity_api_version: '3'\n"
            f'    identity_endpoint_override: {self.identity}\n')
        return path

    def cli(self, *args: str, json_out: bool = True) -> Any:
        """``openstack --os-cloud embedded <args> -f json``, parsed."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith('OS_')}
        env['HOME'] = str(self.workdir)
        env['OS_CLIENT_CONFIG_FILE'] = str(self.clouds_yaml())
        fmt = ['-f', 'json'] if json_out else []
        result = subprocess.run(
            [OPENSTACK_CLI, '--os-cloud', 'embedded', *args, *fmt],
            capture_output=True, text=True, env=env, timeout=120,
            check=False)
        assert result.returncode == 0, (
            f'openstack {" ".join(args)} failed:\n{result.stderr}')
        return json.loads(result.stdout) if json_out else result.stdout


@pytest.fixture(scope='module')
def embedded(tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[Embedded]:
    workdir = tmp_path_factory.mktemp('embedded')
    with daemons.nova_all(workdir) as (port, _config):
        yield Embedded(workdir, port)


@pytest.fixture(scope='module')
def conn(embedded: Embedded) -> Iterator[Any]:
    connection = embedded.connect()
    yield connection
    connection.close()


def test_sdk_flavors(conn: Any) -> None:
    flavors = {f.name: f for f in conn.compute.flavors()}
    assert sorted(flavors) == sorted(FLAVORS)
    assert flavors['m1.tiny'].ram == 512
    assert flavors['m1.tiny'].vcpus == 1


def test_sdk_keypair_generated_and_deleted(conn: Any) -> None:
    keypair = conn.compute.create_keypair(name='sdk-key')
    try:
        assert keypair.private_key.startswith('-----BEGIN')
        assert keypair.public_key.startswith('ssh-')
        assert keypair.fingerprint
        assert 'sdk-key' in [k.name for k in conn.compute.keypairs()]
    finally:
        conn.compute.delete_keypair('sdk-key')
    assert 'sdk-key' not in [k.name for k in conn.compute.keypairs()]


def test_sdk_services_all_up(conn: Any) -> None:
    services = list(conn.compute.services())
    assert {s.binary for s in services} == {
        'nova-conductor', 'nova-scheduler', 'nova-compute'}
    assert all(s.state == 'up' for s in services)
    assert all(s.status == 'enabled' for s in services)


def _image_id(conn: Any) -> str:
    images = conn.compute.get('/images').json()['images']
    return next(image['id'] for image in images
                if image['name'] == 'default')


def test_sdk_server_lifecycle_and_cli(conn: Any,
                                      embedded: Embedded) -> None:
    flavor = conn.compute.find_flavor('m1.tiny', ignore_missing=False)
    server = conn.compute.create_server(
        name='sdk-server', image_id=_image_id(conn), flavor_id=flavor.id,
        networks='auto')
    try:
        server = conn.compute.wait_for_server(server, status='ACTIVE',
                                              wait=120)
        assert server.addresses['private'][0]['version'] == 4
        assert 'sdk-server' in [s.name for s in conn.compute.servers()]

        listed = embedded.cli('server', 'list')
        assert [(s['Name'], s['Status'], s['Flavor']) for s in listed] == [
            ('sdk-server', 'ACTIVE', 'm1.tiny')]
        assert listed[0]['ID'] == server.id
        assert listed[0]['Image'] in ('default', server.image.id)
        assert list(listed[0]['Networks']) == ['private']

        # Metadata and tags (2.26+), through both clients.
        conn.compute.set_server_metadata(server, role='web')
        assert conn.compute.get_server_metadata(server).metadata == {
            'role': 'web'}
        server.add_tag(conn.compute, 'sdk')
        embedded.cli('--os-compute-api-version', '2.26', 'server', 'set',
                     '--property', 'tier=front', '--tag', 'cli',
                     server.id, json_out=False)
        shown = embedded.cli('--os-compute-api-version', '2.26', 'server',
                             'show', server.id)
        assert shown['properties'] == {'role': 'web', 'tier': 'front'}
        assert shown['tags'] == ['cli', 'sdk']
        assert [s.name for s in conn.compute.servers(tags='cli,sdk')] == [
            'sdk-server']
        assert list(conn.compute.servers(not_any_tags='sdk')) == []
    finally:
        conn.compute.delete_server(server, ignore_missing=True)
    conn.compute.wait_for_delete(server, wait=120)
    assert 'sdk-server' not in [s.name for s in conn.compute.servers()]
    assert embedded.cli('server', 'list') == []


def test_cli_flavor_list(embedded: Embedded) -> None:
    flavors = embedded.cli('flavor', 'list')
    assert [f['Name'] for f in flavors] == FLAVORS
    tiny = flavors[0]
    assert (tiny['ID'], tiny['RAM'], tiny['VCPUs'], tiny['Disk']) == (
        '1', 512, 1, 1)


def test_cli_compute_service_list(embedded: Embedded) -> None:
    services = embedded.cli('compute', 'service', 'list')
    assert sorted(s['Binary'] for s in services) == [
        'nova-compute', 'nova-conductor', 'nova-scheduler']
    assert {s['State'] for s in services} == {'up'}
    assert {s['Status'] for s in services} == {'enabled'}
    compute = next(s for s in services if s['Binary'] == 'nova-compute')
    assert compute['Zone'] == 'nova'
