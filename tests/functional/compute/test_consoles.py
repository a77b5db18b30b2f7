"""Console URLs and their tokens on the embedded default: the token in
the URL is what a console proxy presents to os-console-auth-tokens."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
import requests

from tests.functional.compute.embedded import Cloud
from tests.functional.compute.embedded import boot
from tests.functional.compute.embedded import running


@pytest.fixture(scope='module')
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    extra = {'consoleauth': {'token_ttl': 600},
             'vnc': {'novncproxy_base_url':
                     'https://console.example/vnc_auto.html'}}
    with running(tmp_path_factory.mktemp('consoles'), extra) as started:
        yield started


def _token(url: str) -> str:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    if 'token' in query:
        return query['token'][0]
    inner = urllib.parse.urlsplit(query['path'][0]).query
    return urllib.parse.parse_qs(inner)['token'][0]


def _lookup(cloud: Cloud, token: str, version: str = '2.31',
            auth: str = 'admin:admin') -> requests.Response:
    return requests.get(
        f'{cloud.base}/v2.1/os-console-auth-tokens/{token}',
        headers={'X-Auth-Token': auth,
                 'OpenStack-API-Version': f'compute {version}'},
        timeout=30)


@pytest.mark.parametrize('protocol,kind', [('vnc', 'novnc'),
                                           ('serial', 'serial')])
def test_console_url_token_leads_to_the_guest(cloud: Cloud, protocol: str,
                                              kind: str) -> None:
    uuid = boot(cloud, f'console-{protocol}')
    resp = cloud.request('POST', f'/v2.1/servers/{uuid}/remote-consoles',
                         version='2.6', json={'remote_console': {
                             'protocol': protocol, 'type': kind}})
    assert resp.status_code == 200, resp.text
    url = resp.json()['remote_console']['url']
    if protocol == 'vnc':
        assert url.startswith('https://console.example/vnc_auto.html?')
    token = _token(url)

    found = _lookup(cloud, token)
    assert found.status_code == 200, found.text
    console = found.json()['console']
    assert console['instance_uuid'] == uuid
    assert console['host'] == '127.0.0.1'
    assert isinstance(console['port'], int)
    # Before 2.31 only RDP tokens could be looked up (none here).
    assert _lookup(cloud, token, version='2.30').status_code == 401
    # Only the console proxy (admin) may look tokens up.
    assert _lookup(cloud, token,
                   auth='alice:project-a:member').status_code == 403
    # A changed token is nobody's.
    assert _lookup(cloud, token[:-2] + 'xx').status_code == 404
