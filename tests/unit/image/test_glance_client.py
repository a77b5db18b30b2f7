"""nova.image.glance against a scripted HTTP server on a real socket.

What a real Glance without Keystone cannot show: which token goes out,
where the endpoint comes from, and how retries and error statuses are
handled. The server answers from a script and records every request.
"""

from __future__ import annotations

import http.server
import json
import threading

import pytest

from nova import context as nova_context
from nova import exception
from nova.image import glance as glance_backend
from tests.fixtures.conf import prepare_conf

IMAGE_ID = '0c5c1f4e-8e4a-4f21-9a5f-3b1d2c3e4f50'
IMAGE = {'id': IMAGE_ID, 'name': 'cirros', 'status': 'active',
         'disk_format': 'qcow2', 'container_format': 'bare',
         'os_distro': 'cirros', 'self': f'/v2/images/{IMAGE_ID}'}


class Scripted(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        server = self.server
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        server.seen.append((self.command, self.path, dict(self.headers),
                            body))
        status, payload = server.script.pop(0) if server.script else (
            200, IMAGE)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_DELETE = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Scripted)
    httpd.seen = []
    httpd.script = []
    httpd.url = f'http://127.0.0.1:{httpd.server_address[1]}'
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(10)


@pytest.fixture
def conf():
    conf = prepare_conf()
    yield conf
    for name in ('api_servers', 'num_retries', 'endpoint_override'):
        conf.clear_override(name, 'glance')


def test_the_users_token_goes_to_glance(server, conf):
    conf.set_override('api_servers', [server.url + '/v2/'], 'glance')
    ctxt = nova_context.RequestContext(user_id='u', project_id='p',
                                       auth_token='user-token')

    image = glance_backend.GlanceClient().get(ctxt, IMAGE_ID)

    method, path, headers, _ = server.seen[0]
    assert (method, path) == ('GET', f'/v2/images/{IMAGE_ID}')
    assert headers['X-Auth-Token'] == 'user-token'
    assert image['properties'] == {'os_distro': 'cirros'}
    assert 'self' not in image


def test_no_token_and_no_auth_plugin_sends_none(server, conf):
    conf.set_override('endpoint_override', server.url, 'glance')

    glance_backend.GlanceClient().get(nova_context.get_admin_context(),
                                      IMAGE_ID)

    assert 'X-Auth-Token' not in server.seen[0][2]


def test_endpoint_from_the_users_service_catalog(server, conf):
    ctxt = nova_context.RequestContext(auth_token='user-token')
    ctxt.service_catalog = [
        {'type': 'compute', 'endpoints': [
            {'interface': 'public', 'url': 'http://wrong.invalid'}]},
        {'type': 'image', 'endpoints': [
            {'interface': 'admin', 'url': 'http://wrong.invalid'},
            {'interface': 'public', 'url': server.url}]}]

    glance_backend.GlanceClient().get(ctxt, IMAGE_ID)

    assert server.seen[0][2]['X-Auth-Token'] == 'user-token'


def test_no_endpoint_anywhere_is_a_clear_error(conf):
    with pytest.raises(exception.ImageServiceUnavailable,
                       match='api_servers'):
        glance_backend.GlanceClient().get(
            nova_context.get_admin_context(), IMAGE_ID)


def test_reads_are_retried_after_5xx_writes_are_not(server, conf):
    conf.set_override('api_servers', [server.url], 'glance')
    conf.set_override('num_retries', 2, 'glance')
    client = glance_backend.GlanceClient()
    ctxt = nova_context.get_admin_context()

    server.script = [(503, {}), (502, {}), (200, IMAGE)]
    assert client.get(ctxt, IMAGE_ID)['id'] == IMAGE_ID
    server.script = [(500, {'message': 'boom'})]
    with pytest.raises(exception.ImageServiceUnavailable,
                       match='Glance answered 500: boom'):
        client.create(ctxt, {'name': 'x'})

    assert [m for m, *_ in server.seen] == ['GET', 'GET', 'GET', 'POST']


@pytest.mark.parametrize('status,error', [
    (401, exception.ImageNotAuthorized),
    (403, exception.ImageNotAuthorized),
    (404, exception.ImageNotFound),
    (409, exception.Conflict),
    (400, exception.Invalid),
])
def test_error_statuses(server, conf, status, error):
    conf.set_override('api_servers', [server.url], 'glance')
    server.script = [(status, {'message': 'nope'})]
    with pytest.raises(error):
        glance_backend.GlanceClient().get(
            nova_context.get_admin_context(), IMAGE_ID)


def test_create_sends_a_flat_glance_body(server, conf):
    conf.set_override('api_servers', [server.url], 'glance')
    server.script = [(201, {**IMAGE, 'status': 'queued'})]

    glance_backend.GlanceClient().create(
        nova_context.get_admin_context(),
        {'name': 'snap', 'status': 'active', 'size': 3, 'owner': None,
         'properties': {'instance_uuid': 'i-1', 'min_vcpus': 2}})

    assert json.loads(server.seen[0][3]) == {
        'name': 'snap', 'instance_uuid': 'i-1', 'min_vcpus': '2'}
