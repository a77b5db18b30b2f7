"""The ``nova`` CLI with Keystone credentials from the ``OS_*`` variables.

A real Keystone (tests/fixtures/keystone.py) lists a real nova-api
(``[api] auth_strategy = keystone``) in its catalog; the CLI gets a
token with keystoneauth1 and finds the compute endpoint in the catalog,
as it would in a deployed cloud.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.fixtures import database
from tests.fixtures.keystone import Keystone
from tests.fixtures.keystone import keystone  # noqa: F401
from tests.multiprocess import conftest as multiprocess


@pytest.fixture(scope='module')
def compute_url(keystone: Keystone,  # noqa: F811
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nova-api behind Keystone, listed in the catalog as ``compute``."""
    workdir = tmp_path_factory.mktemp('cli-keystone')
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(
            database.provisioned(database.SQLITE, workdir))
        database.migrate(db_url)
        deploy = multiprocess.Deployment(workdir, 'fake://', db_url)
        stack.callback(deploy.close)
        deploy.set('api', auth_strategy='keystone')
        deploy.set(
            'keystone_authtoken', www_authenticate_uri=keystone.url,
            auth_url=keystone.url, auth_type='password',
            username=keystone.service.name,
            password=keystone.service.password,
            project_name=keystone.service.project,
            user_domain_name='Default', project_domain_name='Default')
        deploy.start('nova-api')
        url = f'http://127.0.0.1:{deploy.api_port}/v2.1'
        service = keystone.admin_call('POST', '/services', {'service': {
            'type': 'compute', 'name': 'nova-cli-test'}})['service']
        stack.callback(keystone.admin_call, 'DELETE',
                       f"/services/{service['id']}")
        keystone.admin_call('POST', '/endpoints', {'endpoint': {
            'service_id': service['id'], 'interface': 'public',
            'region_id': 'RegionOne', 'url': url}})
        yield url


def nova(keystone: Keystone, *args: str,  # noqa: F811
         password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('OS_', 'NOVA_'))}
    user = keystone.demo
    # v3password: no version discovery request. The test Keystone's
    # uwsgi closes every connection after one answer, and a discovery GET
    # followed by the token POST on the same kept-alive connection
    # sometimes meets that close (connection reset), which is the test
    # server's habit, not something a deployed Keystone does.
    env.update(OS_AUTH_TYPE='v3password',
               OS_AUTH_URL=keystone.v3, OS_USERNAME=user.name,
               OS_PASSWORD=password or user.password,
               OS_PROJECT_NAME=user.project, OS_USER_DOMAIN_NAME='Default',
               OS_PROJECT_DOMAIN_NAME='Default', OS_REGION_NAME='RegionOne')
    return subprocess.run([sys.executable, '-m', 'nova.cli.shell', *args],
                          capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_os_variables_and_catalog(keystone: Keystone,  # noqa: F811
                                  compute_url: str) -> None:
    created = nova(keystone, 'keypair-add', 'ks-key', '-f', 'json')
    assert created.returncode == 0, created.stderr
    # The key belongs to Keystone's demo user.
    assert json.loads(created.stdout)['user_id'] == keystone.demo.user_id
    listed = nova(keystone, 'keypair-list', '-f', 'value', '-c', 'Name')
    assert listed.stdout.split() == ['ks-key']
    assert nova(keystone, 'keypair-delete', 'ks-key').returncode == 0

    # quota-show defaults to the token's project.
    quotas = nova(keystone, 'quota-show', '-f', 'json')
    assert quotas.returncode == 0, quotas.stderr
    assert {q['Quota'] for q in json.loads(quotas.stdout)} >= {
        'instances', 'cores', 'ram'}


def test_admin_api_refused_for_a_member(keystone: Keystone,  # noqa: F811
                                        compute_url: str) -> None:
    result = nova(keystone, 'service-list')
    assert result.returncode == 1
    assert 'ERROR (Forbidden)' in result.stderr
    assert '(HTTP 403) (Request-ID: req-' in result.stderr


def test_wrong_password_is_one_clear_line(keystone: Keystone,  # noqa: F811
                                          compute_url: str) -> None:
    result = nova(keystone, 'keypair-list', password='wrong')
    assert result.returncode == 1
    assert result.stderr.startswith('ERROR: ')
    assert 'Traceback' not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
