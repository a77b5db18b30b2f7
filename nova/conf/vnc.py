"""Options of the ``[vnc]`` group: graphical consoles of guests."""

from oslo_config import cfg

GROUP = 'vnc'

vnc_opts = [
    cfg.BoolOpt(
        'enabled',
        default=True,
        help='Give guests a VNC console (libvirt) and serve VNC console '
             'URLs through the remote-consoles API.'),
    cfg.StrOpt(
        'server_listen',
        default='127.0.0.1',
        help='Address the guests\' VNC servers listen on, on each compute '
             'host. Only the console proxy should reach it.'),
    cfg.URIOpt(
        'novncproxy_base_url',
        default='http://127.0.0.1:6080/vnc_auto.html',
        help='Public URL of the noVNC console proxy; console URLs handed '
             'to users are this plus the token.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(vnc_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: vnc_opts}
