"""The ``keystone`` pipeline of api-paste.ini against a real Keystone.

A real nova-api process (``[api] auth_strategy = keystone``, SQLite,
``fake://`` transport: none of these calls needs RPC) validates tokens
issued by the test Keystone (tests/fixtures/keystone.py) through
keystonemiddleware's authtoken, and KeystoneContext turns the identity
headers into the request context.
"""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures import database
from tests.fixtures.keystone import Keystone
from tests.multiprocess import conftest as multiprocess


@pytest.fixture(scope='module')
def nova_api(keystone: Keystone, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[multiprocess.Deployment]:
    workdir = tmp_path_factory.mktemp('keystone-pipeline')
    with contextlib.ExitStack() as stack:
        db_url = stack.enter_context(
            database.provisioned(database.SQLITE, workdir))
        database.migrate(db_url)
        deploy = multiprocess.Deployment(workdir, 'fake://', db_url)
        stack.callback(deploy.close)
        deploy.set('api', auth_strategy='keystone')
        deploy.set(
            'keystone_authtoken',
            www_authenticate_uri=keystone.url,
            auth_url=keystone.url,
            auth_type='password',
            username=keystone.service.name,
            password=keystone.service.password,
            project_name=keystone.service.project,
            user_domain_name='Default',
            project_domain_name='Default',
            # Validate every request with Keystone (no in-process token
            # cache), so a revoked token is refused at once.
            token_cache_time=-1,
        )
        deploy.start('nova-api')
        yield deploy


def call(api: multiprocess.Deployment, method: str, path: str,
         token: str | None = None, body: Any = None,
         prefix: str = '/v2.1') -> tuple[int, Any, Any]:
    """One request to nova-api: (status, JSON body, headers)."""
    headers = {'Content-Type': 'application/json'}
    if token is not None:
        headers['X-Auth-Token'] = token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f'http://127.0.0.1:{api.api_port}{prefix}{path}', data=data,
        method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None, \
                resp.headers
    except urllib.error.HTTPError as err:
        raw = err.read()
        return err.code, json.loads(raw) if raw else None, err.headers


def assert_unauthorized(status: int, body: Any, headers: Any,
                        keystone: Keystone) -> None:
    assert status == 401, body
    assert set(body) == {'unauthorized'}, body
    assert body['unauthorized']['code'] == 401, body
    assert body['unauthorized']['message'], body
    assert keystone.url in headers.get('WWW-Authenticate', ''), \
        dict(headers)


def test_member_token_reaches_the_api(nova_api: multiprocess.Deployment,
                                      keystone: Keystone) -> None:
    token, _ = keystone.token(keystone.demo)
    status, body, _ = call(nova_api, 'GET', '/flavors', token)
    assert status == 200, body
    assert 'flavors' in body
    status, body, _ = call(nova_api, 'GET', '/os-keypairs', token)
    assert status == 200, body
    assert body == {'keypairs': []}

    # The context carries Keystone's user: the keypair is the demo
    # user's.
    name = f'kp-{uuid.uuid4().hex[:8]}'
    status, body, _ = call(nova_api, 'POST', '/os-keypairs', token,
                           {'keypair': {'name': name}})
    assert status == 200, body
    assert body['keypair']['user_id'] == keystone.demo.user_id
    status, body, _ = call(nova_api, 'GET', f'/os-keypairs/{name}', token)
    assert status == 200, body
    assert body['keypair']['user_id'] == keystone.demo.user_id
    status, body, _ = call(nova_api, 'DELETE', f'/os-keypairs/{name}',
                           token)
    assert status == 202, body


@pytest.mark.parametrize('prefix', ['/v2.1', '/v2'])
def test_no_token_is_401(nova_api: multiprocess.Deployment,
                         keystone: Keystone, prefix: str) -> None:
    assert_unauthorized(*call(nova_api, 'GET', '/flavors', prefix=prefix),
                        keystone)


def test_garbage_token_is_401(nova_api: multiprocess.Deployment,
                              keystone: Keystone) -> None:
    assert_unauthorized(
        *call(nova_api, 'GET', '/flavors', 'gAAAAAB-not-a-real-token'),
        keystone)


def test_revoked_token_is_401(nova_api: multiprocess.Deployment,
                              keystone: Keystone) -> None:
    token, _ = keystone.token(keystone.demo)
    status, body, _ = call(nova_api, 'GET', '/flavors', token)
    assert status == 200, body
    keystone.revoke(token)
    assert_unauthorized(*call(nova_api, 'GET', '/flavors', token), keystone)


def test_admin_only_api(nova_api: multiprocess.Deployment,
                        keystone: Keystone) -> None:
    admin_token, _ = keystone.token(keystone.admin)
    status, body, _ = call(nova_api, 'GET', '/os-services', admin_token)
    assert status == 200, body
    assert 'services' in body

    demo_token, _ = keystone.token(keystone.demo)
    status, body, _ = call(nova_api, 'GET', '/os-services', demo_token)
    assert status == 403, body
    assert set(body) == {'forbidden'}, body

