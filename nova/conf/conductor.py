"""Options of the ``[conductor]`` group."""

from oslo_config import cfg

GROUP = 'conductor'

conductor_opts = [
    cfg.IntOpt(
        'workers',
        min=1,
        help='Number of nova-conductor worker processes. Defaults to the '
             'number of CPUs.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(conductor_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: conductor_opts}
