"""Options of the ``[upgrade_levels]`` group: RPC version pins.

During a rolling upgrade, newer services must not send messages that
older ones cannot read; pinning a topic caps the version its clients send.
"""

from oslo_config import cfg

GROUP = 'upgrade_levels'

upgrade_levels_opts = [
    cfg.StrOpt('compute',
               help='Highest RPC API version sent to nova-compute, e.g. '
                    '"1.0". Unset means the newest this release knows.'),
    cfg.StrOpt('conductor',
               help='Highest RPC API version sent to nova-conductor.'),
    cfg.StrOpt('scheduler',
               help='Highest RPC API version sent to nova-scheduler.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(upgrade_levels_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: upgrade_levels_opts}
