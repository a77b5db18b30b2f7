"""Options of the ``[DEFAULT]`` group that belong to this project.

Library-owned ``[DEFAULT]`` options (``transport_url``,
``rpc_response_timeout``, logging, ``graceful_shutdown_timeout``) are
registered by oslo.messaging, oslo.log and oslo.service themselves.
"""

import os
import socket

from oslo_config import cfg

GROUP = 'DEFAULT'

service_opts = [
    cfg.HostAddressOpt(
        'host',
        default=socket.gethostname(),
        sample_default='<current_hostname>',
        help='Name of this node. Used as the RPC server name of '
             'nova-compute (messages for an instance on this node are '
             'sent to compute.<host>) and as the host column of service '
             'records. Must be unique per node and stable across '
             'restarts.'),
    cfg.StrOpt(
        'state_path',
        default=os.path.join(os.path.expanduser('~'), '.local', 'share',
                             'nova'),
        sample_default='$HOME/.local/share/nova',
        help='Top-level directory for runtime state: the embedded SQLite '
             'database, instance files and the local image store. Set it '
             'to /var/lib/nova on deployed nodes.'),
    cfg.StrOpt(
        'compute_driver',
        default='libvirt',
        help='Virtualisation driver of nova-compute, by entry-point name '
             'in the nova.compute.drivers namespace: "libvirt" for '
             'QEMU/KVM guests, "fake" for an in-memory hypervisor used by '
             'the embedded mode and scale tests.'),
    cfg.IntOpt(
        'report_interval',
        default=10,
        min=1,
        help='Seconds between two heartbeats of a service to the '
             'database. Must be well below service_down_time.'),
    cfg.IntOpt(
        'service_down_time',
        default=60,
        min=1,
        help='Seconds since the last heartbeat after which a service is '
             'considered down. The scheduler does not pick hosts whose '
             'compute service is down.'),
    cfg.IntOpt(
        'periodic_interval',
        default=60,
        min=1,
        help='Default spacing, in seconds, of periodic tasks that do not '
             'declare their own.'),
    cfg.BoolOpt(
        'periodic_enable',
        default=True,
        help='Run periodic tasks. Turn off only on test nodes.'),
    cfg.IntOpt(
        'periodic_fuzzy_delay',
        default=60,
        min=0,
        help='Upper bound, in seconds, of a random delay before the first '
             'periodic task run, so that services started together do '
             'not hit the database at the same instant.'),
]

api_listen_opts = [
    cfg.HostAddressOpt(
        'osapi_compute_listen',
        default='0.0.0.0',
        help='IP address on which nova-api listens.'),
    cfg.PortOpt(
        'osapi_compute_listen_port',
        default=8774,
        help='TCP port on which nova-api listens.'),
    cfg.IntOpt(
        'osapi_compute_workers',
        min=1,
        help='Worker processes of nova-api, all listening on the same '
             'port (SO_REUSEPORT). Unset means a single process; each '
             'process serves [wsgi] threads requests at a time.'),
]

availability_zone_opts = [
    cfg.StrOpt(
        'default_availability_zone',
        default='nova',
        help='Availability zone of compute hosts that belong to no '
             'aggregate with an availability_zone. Change it only before '
             'the first server boots: existing servers keep the zone '
             'they were created in.'),
    cfg.StrOpt(
        'internal_service_availability_zone',
        default='internal',
        help='Zone shown for services other than nova-compute (conductor, '
             'scheduler); never offered for booting.'),
    cfg.StrOpt(
        'default_schedule_zone',
        help='Zone given to servers created without one. Unset means any '
             'host, whatever its zone.'),
]

migration_opts = [
    cfg.IntOpt(
        'max_concurrent_live_migrations',
        default=1,
        min=0,
        help='Live migrations a nova-compute runs out of its host at the '
             'same time; further ones wait in status "queued" (and may be '
             'aborted there). 0 means no limit, which can saturate the '
             'migration network.'),
]

ALL_OPTS = (service_opts + api_listen_opts + availability_zone_opts +
            migration_opts)


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(ALL_OPTS)


def list_opts() -> dict:
    return {GROUP: ALL_OPTS}
