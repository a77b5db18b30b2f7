"""Images through the ``openstack`` CLI against the embedded default.

One ``python -m nova.cmd.all`` process serves the Compute API and, as
``/image``, the Glance v2 compatible image endpoint on the same port.
The CLI finds the image service through ``image_endpoint_override`` in
clouds.yaml; it uploads an image from a file, lists, shows, updates and
downloads it; a server booted from it (found by name through the
image endpoint) becomes ACTIVE.
"""

from __future__ import annotations

import hashlib
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
OPENSTACK_CLI = os.path.join(os.path.dirname(sys.executable), 'openstack')
DATA = os.urandom(2 * 1024 * 1024 + 3)


class Cloud:
    def __init__(self, workdir: pathlib.Path, port: int) -> None:
        self.workdir = workdir
        base = f'http://127.0.0.1:{port}'
        self.clouds_yaml = workdir / 'clouds.yaml'
        self.clouds_yaml.write_text(
            'clouds:\n'
            '  embedded:\n'
            '    auth_type: admin_token\n'
            '    auth:\n'
            f'      endpoint: {base}/v2.1\n'
            f'      token: "{TOKEN}"\n'
            "    identity_api_version: '3'\n"
            f'    identity_endpoint_override: {base}/identity/v3\n'
            f'    image_endpoint_override: {base}/image\n')

    def connect(self) -> Any:
        """openstacksdk, configured by the same clouds.yaml."""
        config = openstack.config.OpenStackConfig(
            config_files=[str(self.clouds_yaml)], load_envvars=False)
        return openstack.connection.Connection(
            config=config.get_one('embedded'))

    def cli(self, *args: str, json_out: bool = True) -> Any:
        """``openstack --os-cloud embedded <args> [-f json]``."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith('OS_')}
        env['HOME'] = str(self.workdir)
        env['OS_CLIENT_CONFIG_FILE'] = str(self.clouds_yaml)
        fmt = ['-f', 'json'] if json_out else []
        result = subprocess.run(
            [OPENSTACK_CLI, '--os-cloud', 'embedded', *args, *fmt],
            capture_output=True, text=True, env=env, timeout=180,
            check=False)
        assert result.returncode == 0, (
            f'openstack {" ".join(args)} failed:\n{result.stderr}')
        return json.loads(result.stdout) if json_out else result.stdout


@pytest.fixture(scope='module')
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    workdir = tmp_path_factory.mktemp('embedded-images')
    with daemons.nova_all(workdir) as (port, _config):
        yield Cloud(workdir, port)


def test_image_create_list_boot_by_name(cloud: Cloud,
                                        tmp_path: pathlib.Path) -> None:
    source = tmp_path / 'disk.raw'
    source.write_bytes(DATA)

    created = cloud.cli('image', 'create', '--file', str(source),
                        '--disk-format', 'raw', '--container-format',
                        'bare', 'cli-image')
    assert created['status'] == 'active'
    assert created['checksum'] == hashlib.md5(DATA).hexdigest()

    listed = {i['Name']: i for i in cloud.cli('image', 'list')}
    assert set(listed) == {'default', 'cli-image'}
    assert listed['cli-image']['Status'] == 'active'

    shown = cloud.cli('image', 'show', 'cli-image')
    assert shown['size'] == len(DATA)
    assert shown['id'] == created['id']

    # The CLI resolves the image by name through the image endpoint and
    # sends it as a block device mapping (image -> local disk), which
    # the Compute API folds into imageRef.
    server = cloud.cli('server', 'create', '--image', 'cli-image',
                       '--flavor', 'm1.tiny', '--nic', 'none',
                       '--wait', 'cli-server')
    try:
        assert server['status'] == 'ACTIVE'
        shown = cloud.cli('server', 'show', 'cli-server')
        assert shown['status'] == 'ACTIVE'
        assert created['id'] in str(shown['image'])
    finally:
        cloud.cli('server', 'delete', '--wait', 'cli-server',
                  json_out=False)


def test_image_set_save_delete(cloud: Cloud, tmp_path: pathlib.Path) -> None:
    source = tmp_path / 'small.raw'
    source.write_bytes(DATA[:4096])
    cloud.cli('image', 'create', '--file', str(source), '--disk-format',
              'raw', '--container-format', 'bare', 'cli-other')

    cloud.cli('image', 'set', '--property', 'os_distro=cirros',
              '--min-ram', '64', 'cli-other', json_out=False)
    shown = cloud.cli('image', 'show', 'cli-other')
    assert shown['min_ram'] == 64
    assert shown['properties']['os_distro'] == 'cirros'

    saved = tmp_path / 'saved.raw'
    cloud.cli('image', 'save', '--file', str(saved), 'cli-other',
              json_out=False)
    assert saved.read_bytes() == DATA[:4096]

    cloud.cli('image', 'delete', 'cli-other', json_out=False)
    names = [i['Name'] for i in cloud.cli('image', 'list')]
    assert 'cli-other' not in names
