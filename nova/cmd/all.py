"""nova-all: the embedded control plane, every service and the API in one
process.

Its defaults make a working cloud with nothing else installed: SQLite
under ``state_path``, the in-process ``fake://`` transport, the fake virt
driver and the noauth2 API pipeline. Options set in a configuration file
still win, so an operator can point it at RabbitMQ or MariaDB.
"""

from __future__ import annotations

import os
import sys

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import netutils

from nova import bootstrap
from nova import context
from nova import service
from nova.api import server as api_server
from nova.cmd import common
from nova.conf import defaults
from nova.db import migration

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

EMBEDDED_BINARIES = ('nova-conductor', 'nova-scheduler', 'nova-compute')


def set_embedded_defaults(conf: cfg.ConfigOpts = CONF) -> None:
    defaults.prepare(conf)
    conf.set_default('transport_url', 'fake://')
    conf.set_default('compute_driver', 'fake')
    conf.set_default('auth_strategy', 'noauth2', group='api')
    conf.set_default('osapi_compute_listen', '127.0.0.1')
    # Several simulated nodes, so that reschedules have somewhere to go.
    conf.set_default('nodes', ['4'], group='fake_driver')
    conf.set_default('connection',
                     'sqlite:///$state_path/nova.sqlite', group='database')


def use_own_image_endpoint(conf: cfg.ConfigOpts = CONF) -> None:
    """Point the compute's image client at the /image endpoint this
    process serves, unless the operator configured an image service.

    The compute downloads images over HTTP as in a deployment; only the
    URL differs.
    """
    if conf.glance.api_servers or conf.glance.endpoint_override:
        return
    host = conf.osapi_compute_listen
    if host in ('', '0.0.0.0', '::'):
        host = '127.0.0.1'
    url = (f'http://{netutils.escape_ipv6(host)}:'
           f'{conf.osapi_compute_listen_port}/image')
    conf.set_default('api_servers', [url], group='glance')
    LOG.info('Compute image client uses the embedded endpoint %s', url)


def main(argv: list[str] | None = None) -> int:
    set_embedded_defaults()
    common.init(argv)
    os.makedirs(CONF.state_path, exist_ok=True)
    # The embedded mode owns its database: bring it to the newest schema
    # on every start, so a fresh checkout needs no separate step.
    migration.db_sync()
    LOG.info('Embedded database at %s is at schema version %s',
             CONF.database.connection, migration.db_version())
    bootstrap.seed(context.get_admin_context(), CONF.state_path)
    use_own_image_endpoint()

    def build() -> list:
        services: list = [service.Service.create(binary)
                          for binary in EMBEDDED_BINARIES]
        services.append(api_server.WSGIService())
        return services

    return common.run_workers(build, None)


if __name__ == '__main__':
    sys.exit(main())
