"""A cloud ready to boot: the embedded catalogue (flavors m1.tiny..,
network 'private', image 'default') on top of APIFixture.

Exports IMAGE_ID and NETWORK_ID for $ENVIRON templating.
"""

from __future__ import annotations

import os

from oslo_config import cfg

from nova import bootstrap
from nova import context as nova_context
from nova.db.api import images as images_db
from nova.db.api import networks as networks_db
from tests.api import fixtures

CONF = cfg.CONF


class ServersAPIFixture(fixtures.APIFixture):
    def start_fixture(self) -> None:
        super().start_fixture()
        ctx = nova_context.get_admin_context()
        bootstrap.seed(ctx, CONF.state_path)
        os.environ['IMAGE_ID'] = images_db.image_get_all(ctx)[0]['id']
        os.environ['NETWORK_ID'] = networks_db.network_get_all(ctx)[0]['uuid']


class ImagePropsAPIFixture(ServersAPIFixture):
    """ServersAPIFixture plus PROPS_IMAGE_ID: the default image's bits
    with image properties (servers show them from 2.98)."""

    def start_fixture(self) -> None:
        super().start_fixture()
        ctx = nova_context.get_admin_context()
        image = images_db.image_get_all(ctx)[0]
        fields = ('status', 'visibility', 'disk_format', 'container_format',
                  'size', 'virtual_size', 'location', 'checksum',
                  'os_hash_algo', 'os_hash_value', 'min_disk', 'min_ram')
        values = {key: image[key] for key in fields}
        values['name'] = 'with-properties'
        os.environ['PROPS_IMAGE_ID'] = images_db.image_create(
            ctx, values, properties={'architecture': 'x86_64',
                                     'os_distro': 'debian'})['id']


class SlowLiveMigrationAPIFixture(ServersAPIFixture):
    """ServersAPIFixture whose live migrations copy memory until they are
    forced to complete or aborted (at most 120 s), one at a time per
    compute: the rest wait in status queued."""

    _OVERRIDES = (('live_migration_duration', 120, 'fake_driver'),
                  ('max_concurrent_live_migrations', 1, None))

    def start_fixture(self) -> None:
        # Read when the compute services are built (in super()).
        for name, value, group in self._OVERRIDES:
            CONF.set_override(name, value, group=group)
        super().start_fixture()

    def stop_fixture(self) -> None:
        try:
            super().stop_fixture()
        finally:
            for name, _value, group in self._OVERRIDES:
                CONF.clear_override(name, group=group)
