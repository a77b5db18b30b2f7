"""Options of the ``[consoleauth]`` group: console access tokens."""

from oslo_config import cfg

GROUP = 'consoleauth'

consoleauth_opts = [
    cfg.IntOpt(
        'token_ttl',
        default=600,
        min=1,
        help='Seconds a console URL (its token) stays valid.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(consoleauth_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: consoleauth_opts}
