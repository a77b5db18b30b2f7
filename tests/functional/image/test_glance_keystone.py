"""The Glance backend against a real Glance behind a real Keystone.

Glance runs its keystone pipeline (keystonemiddleware validating every
token with the test Keystone), so what the client sends really decides
what it may do: a user's token acts as that user's project; a bad token
is refused; without a user token the client authenticates itself from
the ``[glance]`` auth options and finds Glance in the service catalog.
"""

from __future__ import annotations

import os

import pytest
from keystoneauth1 import loading as ks_loading

from nova import context as nova_context
from nova import exception
from nova.image import glance as glance_backend
from tests.fixtures.conf import prepare_conf
from tests.fixtures.glance import running_glance
from tests.fixtures.keystone import keystone  # noqa: F401

DATA = os.urandom(100 * 1024 + 3)


@pytest.fixture(scope='module')
def glance(keystone):  # noqa: F811
    """Glance behind Keystone, listed in the catalog as service 'image'."""
    with running_glance(keystone) as started:
        service = keystone.admin_call('POST', '/services', {'service': {
            'type': 'image', 'name': 'glance'}})['service']
        try:
            for interface in ('public', 'internal'):
                keystone.admin_call('POST', '/endpoints', {'endpoint': {
                    'service_id': service['id'], 'interface': interface,
                    'url': started.url, 'region_id': 'RegionOne'}})
            yield started
        finally:
            # The Keystone serves the whole run: leave its catalog as found
            # (deleting a service deletes its endpoints).
            keystone.admin_call('DELETE', f'/services/{service["id"]}')


@pytest.fixture
def conf(glance):
    conf = prepare_conf()
    conf.set_override('api_servers', [glance.url], 'glance')
    yield conf
    conf.clear_override('api_servers', 'glance')


def user_context(keystone, user):  # noqa: F811
    token, body = keystone.token(user)
    return nova_context.RequestContext(
        user_id=body['user']['id'], project_id=body['project']['id'],
        auth_token=token)


def test_users_token_creates_uploads_and_downloads(keystone, glance, conf,  # noqa: F811
                                                    tmp_path):
    ctxt = user_context(keystone, keystone.demo)
    client = glance_backend.GlanceClient()
    src = tmp_path / 'snap.raw'
    src.write_bytes(DATA)

    image = client.create(ctxt, {'name': 'demo-snap', 'disk_format': 'raw',
                                 'container_format': 'bare'})
    client.upload(ctxt, image['id'], str(src), 'raw')
    client.download(ctxt, image['id'], str(tmp_path / 'back'))

    shown = client.get(ctxt, image['id'])
    assert (shown['status'], shown['owner']) == ('active',
                                                  ctxt.project_id)
    assert (tmp_path / 'back').read_bytes() == DATA


def test_bad_token_is_refused(glance, conf):
    ctxt = nova_context.RequestContext(user_id='u', project_id='p',
                                       auth_token='not-a-token')
    client = glance_backend.GlanceClient()

    with pytest.raises(exception.ImageNotAuthorized):
        client.get(ctxt, '8d7ee8a4-0bbb-4b5e-9d4e-6e4f2c3b1a00')
    with pytest.raises(exception.Forbidden, match='Glance refused'):
        client.get_all(ctxt)


def test_another_projects_private_image_is_not_found(keystone, glance,  # noqa: F811
                                                     conf):
    admin_token, _ = keystone.token(keystone.admin)
    private = glance.upload_image(b'secret', token=admin_token,
                                  name='admin-only', visibility='private')
    ctxt = user_context(keystone, keystone.demo)
    client = glance_backend.GlanceClient()

    with pytest.raises(exception.ImageNotFound):
        client.get(ctxt, private['id'])
    assert private['id'] not in {i['id'] for i in client.get_all(ctxt)}


def test_service_credentials_and_the_catalog(keystone, glance):  # noqa: F811
    # No user token, no api_servers: the client logs in with [glance]'s
    # auth options and asks the catalog where Glance is.
    conf = prepare_conf()
    conf.register_opts(ks_loading.get_auth_plugin_conf_options('password'),
                       group='glance')
    overrides = {'auth_type': 'password', 'auth_url': keystone.v3,
                 'username': keystone.service.name,
                 'password': keystone.service.password,
                 'project_name': keystone.service.project,
                 'user_domain_name': 'Default',
                 'project_domain_name': 'Default'}
    for name, value in overrides.items():
        conf.set_override(name, value, 'glance')
    try:
        admin_token, _ = keystone.token(keystone.admin)
        public = glance.upload_image(b'pub', token=admin_token,
                                     name='for-everyone',
                                     visibility='public')
        image = glance_backend.GlanceClient().get(
            nova_context.get_admin_context(), public['id'])
    finally:
        for name in overrides:
            conf.clear_override(name, 'glance')
    assert image['name'] == 'for-everyone'
