"""Options of the ``[conductor]`` group."""

from oslo_config import cfg

GROUP = 'conductor'

conductor_opts = [
    cfg.IntOpt(
        'workers',
        min=1,
        help='Worker processes of nova-conductor, each consuming from '
             'the same topic; raise it when one process is CPU-bound. '
             'Unset means a single process.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(conductor_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: conductor_opts}
