"""All configuration options, registered on the global ``CONF`` object.

Each module below owns exactly one option group; see ``opts.py`` for the
list consumed by oslo-config-generator.
"""

from oslo_config import cfg

from nova.conf import api
from nova.conf import compute
from nova.conf import conductor
from nova.conf import consoleauth
from nova.conf import database
from nova.conf import default
from nova.conf import fake_driver
from nova.conf import filter_scheduler
from nova.conf import glance
from nova.conf import image
from nova.conf import libvirt
from nova.conf import quota
from nova.conf import scheduler
from nova.conf import serial_console
from nova.conf import upgrade_levels
from nova.conf import vnc
from nova.conf import wsgi

CONF = cfg.CONF

ALL_MODULES = (
    default,
    api,
    compute,
    conductor,
    consoleauth,
    database,
    fake_driver,
    filter_scheduler,
    glance,
    image,
    libvirt,
    quota,
    scheduler,
    serial_console,
    upgrade_levels,
    vnc,
    wsgi,
)

for _module in ALL_MODULES:
    _module.register_opts(CONF)
