"""Options of the ``[wsgi]`` group: how nova-api serves HTTP."""

from oslo_config import cfg

GROUP = 'wsgi'

wsgi_opts = [
    cfg.StrOpt(
        'api_paste_config',
        default='api-paste.ini',
        help='Paste Deploy file that builds the API application. A '
             'relative name is looked up next to the configuration files '
             'and then in the etc/ directory of the installation.'),
    cfg.IntOpt(
        'threads',
        default=32,
        min=1,
        help='Worker threads per nova-api process; each serves one '
             'request at a time.'),
    cfg.IntOpt(
        'backlog',
        default=4096,
        min=1,
        help='Connections the kernel queues for nova-api while every '
             'worker thread is busy; beyond it clients are refused.'),
    cfg.IntOpt(
        'client_socket_timeout',
        default=900,
        min=0,
        help='Seconds an idle client connection is kept open. 0 means '
             'wait forever.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(wsgi_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: wsgi_opts}
