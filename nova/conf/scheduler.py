"""Options of the ``[scheduler]`` group."""

from oslo_config import cfg

GROUP = 'scheduler'

scheduler_opts = [
    cfg.IntOpt(
        'max_attempts',
        default=3,
        min=1,
        help='Hosts tried for one instance before it is put in ERROR: '
             'the first choice plus reschedules after build failures.'),
    cfg.IntOpt(
        'workers',
        min=1,
        help='Worker processes of nova-scheduler, each consuming from '
             'the same topic; raise it when one process is CPU-bound. '
             'Unset means a single process.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(scheduler_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: scheduler_opts}
