"""Defaults this project sets on options owned by libraries."""

from oslo_config import cfg
from oslo_log import log as logging
from oslo_middleware import cors

_DEFAULT_LOG_LEVELS = [
    'amqp=WARN', 'amqplib=WARN', 'oslo.messaging=INFO',
    'oslo_messaging=INFO', 'sqlalchemy=WARN', 'stevedore=WARN',
    'routes.middleware=WARN', 'keystonemiddleware=WARN',
    'urllib3.connectionpool=WARN', 'websocket=WARN', 'libvirt=WARN',
    'oslo_policy=INFO', 'iso8601=WARN', 'kombu=WARN', 'alembic=WARN',
]


def set_lib_defaults() -> None:
    """Update library option defaults; called before parsing config."""
    cors.set_defaults(
        allow_headers=['X-Auth-Token', 'X-Openstack-Request-Id',
                       'X-Identity-Status', 'X-Roles', 'X-Service-Catalog',
                       'X-User-Id', 'X-Tenant-Id',
                       'OpenStack-API-Version',
                       'X-OpenStack-Nova-API-Version'],
        expose_headers=['X-Auth-Token', 'X-Openstack-Request-Id',
                        'X-Subject-Token', 'X-Service-Token',
                        'OpenStack-API-Version',
                        'X-OpenStack-Nova-API-Version'],
        allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD'])


def set_log_defaults() -> None:
    logging.set_defaults(
        default_log_levels=logging.get_default_log_levels() +
        _DEFAULT_LOG_LEVELS)


def prepare(conf: cfg.ConfigOpts) -> None:
    """Register library options that our sample and services rely on."""
    logging.register_options(conf)
    register_messaging_opts(conf)
    set_log_defaults()
    set_lib_defaults()


def register_messaging_opts(conf: cfg.ConfigOpts) -> None:
    """Register oslo.messaging's [DEFAULT] options ahead of first use,
    so that modes such as the embedded nova-all can change defaults."""
    import oslo_messaging.opts
    for group, opts in oslo_messaging.opts.list_opts():
        if group is None or group == 'DEFAULT':
            conf.register_opts(opts)
