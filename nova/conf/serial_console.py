"""Options of the ``[serial_console]`` group: interactive serial
consoles of guests, reached through a websocket proxy."""

from oslo_config import cfg

GROUP = 'serial_console'

serial_opts = [
    cfg.URIOpt(
        'base_url',
        default='ws://127.0.0.1:6083/',
        help='Public URL of the serial console websocket proxy; console '
             'URLs handed to users are this plus the token.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(serial_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: serial_opts}
