"""Migration records, request specs, images and console tokens."""

import pytest
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova import context as nova_context
from nova import exception
from nova.db.api import console_auth_tokens
from nova.db.api import images
from nova.db.api import migrations
from nova.db.api import request_specs
from tests.fixtures import factories


def test_migration_queries(db, ctxt):
    live = factories.make_migration(ctxt)
    factories.make_migration(ctxt, status='confirmed')
    factories.make_migration(ctxt, source_compute='other', status='error')

    got = migrations.migration_get_by_uuid(ctxt, live['uuid'])
    assert got == live
    assert [m['id'] for m in
            migrations.migration_get_in_progress_by_host_and_node(
                ctxt, 'host-dst', 'node-dst')] == [live['id']]
    assert [m['id'] for m in
            migrations.migration_get_in_progress_by_instance(
                ctxt, live['instance_uuid'])] == [live['id']]
    assert migrations.migration_get_by_instance_and_status(
        ctxt, live['instance_uuid'], 'migrating')['id'] == live['id']
    assert len(migrations.migration_get_all_by_filters(
        ctxt, {'host': 'host-dst'})) == 3
    assert len(migrations.migration_get_all_by_filters(
        ctxt, {'status': ['error', 'confirmed']})) == 2
    with pytest.raises(exception.Invalid):
        migrations.migration_get_all_by_filters(ctxt, {'bogus': 1})


def test_migration_update_and_soft_delete(db, ctxt):
    migration = factories.make_migration(ctxt)

    done = migrations.migration_update(ctxt, migration['id'],
                                       {'status': 'finished'})
    migrations.migration_destroy(ctxt, migration['id'])

    assert done['status'] == 'finished'
    with pytest.raises(exception.MigrationNotFound):
        migrations.migration_get(ctxt, migration['id'])
    yes = nova_context.get_admin_context(read_deleted='yes')
    assert migrations.migration_get(yes, migration['id'])['deleted'] == (
        migration['id'])
    with pytest.raises(exception.MigrationNotFound):
        migrations.migration_destroy(ctxt, migration['id'])


def test_migration_paging(db, ctxt):
    made = [factories.make_migration(ctxt) for _ in range(3)]

    first = migrations.migration_get_all_by_filters(ctxt, limit=2)
    rest = migrations.migration_get_all_by_filters(
        ctxt, marker=first[-1]['uuid'])

    assert {m['id'] for m in first + rest} == {m['id'] for m in made}
    assert len(first + rest) == 3


def test_request_specs(db, ctxt):
    uuid = uuidutils.generate_uuid()
    spec = {'flavor': {'vcpus': 1}, 'scheduler_hints': {'group': 'g'}}

    request_specs.request_spec_create(ctxt, uuid, spec)

    assert request_specs.request_spec_get_by_instance_uuid(
        ctxt, uuid)['spec'] == spec
    with pytest.raises(exception.Duplicate):
        request_specs.request_spec_create(ctxt, uuid, spec)
    assert request_specs.request_spec_update(
        ctxt, uuid, {'num_instances': 2})['spec'] == {'num_instances': 2}
    request_specs.request_spec_destroy(ctxt, uuid)
    with pytest.raises(exception.RequestSpecNotFound):
        request_specs.request_spec_get_by_instance_uuid(ctxt, uuid)


def test_images(db, ctxt):
    image = factories.make_image(ctxt, properties={'os_distro': 'debian'},
                                 tags=('b', 'a'))
    private = factories.make_image(ctxt, visibility='private',
                                   owner='other', size=10**12)

    assert images.image_get(ctxt, image['id']) == image
    assert image['tags'] == ['a', 'b']
    assert private['size'] == 10**12
    assert [i['id'] for i in images.image_get_all(
        ctxt, {'visible_to': factories.PROJECT_ID})] == [image['id']]
    assert [i['id'] for i in images.image_get_all(
        ctxt, {'properties': {'os_distro': 'debian'}, 'tags': ['a']})] == [
        image['id']]
    updated = images.image_update(ctxt, image['id'], {'min_ram': 512},
                                  properties={'hw_arch': 'x86_64'},
                                  purge_props=True)
    assert updated['properties'] == {'hw_arch': 'x86_64'}
    assert images.image_tag_add(ctxt, image['id'], 'c') == ['a', 'b', 'c']
    images.image_tag_delete(ctxt, image['id'], 'c')
    with pytest.raises(exception.NotFound):
        images.image_tag_delete(ctxt, image['id'], 'c')
    with pytest.raises(exception.ImageExists):
        factories.make_image(ctxt, id=image['id'])


def test_image_delete(db, ctxt):
    image = factories.make_image(ctxt)
    protected = factories.make_image(ctxt, protected=True)

    deleted = images.image_destroy(ctxt, image['id'])

    assert deleted['status'] == 'deleted'
    assert deleted['deleted'] != 0
    with pytest.raises(exception.ImageNotFound):
        images.image_get(ctxt, image['id'])
    with pytest.raises(exception.Forbidden):
        images.image_destroy(ctxt, protected['id'])
    assert [i['id'] for i in images.image_get_all(ctxt)] == [
        protected['id']]


def test_console_tokens(db, ctxt):
    uuid = factories.make_instance(ctxt)['uuid']
    now = int(timeutils.utcnow_ts())
    values = {'console_type': 'novnc', 'host': '127.0.0.1', 'port': 5900,
              'instance_uuid': uuid}
    console_auth_tokens.console_auth_token_create(
        ctxt, 'secret', {**values, 'expires': now + 600})
    console_auth_tokens.console_auth_token_create(
        ctxt, 'stale', {**values, 'expires': now - 1})

    got = console_auth_tokens.console_auth_token_get_valid(ctxt, 'secret')

    assert got['token_hash'] != 'secret'
    assert got['port'] == 5900
    with pytest.raises(exception.InvalidToken):
        console_auth_tokens.console_auth_token_get_valid(ctxt, 'stale')
    with pytest.raises(exception.InvalidToken):
        console_auth_tokens.console_auth_token_get_valid(
            ctxt, 'secret', instance_uuid=uuidutils.generate_uuid())
    assert console_auth_tokens.console_auth_token_destroy_expired(ctxt) == 1
    assert console_auth_tokens.console_auth_token_destroy_all_by_instance(
        ctxt, uuid) == 1
