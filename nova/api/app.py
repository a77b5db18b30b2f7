"""Load the Compute API WSGI application from api-paste.ini."""

from __future__ import annotations

import os
import sys
from typing import Any

from oslo_config import cfg
from paste import deploy

from nova import exception

CONF = cfg.CONF
APP_NAME = 'osapi_compute'


def find_paste_config() -> str:
    """Resolve ``[wsgi] api_paste_config`` to an existing file."""
    name = CONF.wsgi.api_paste_config
    if os.path.isabs(name):
        candidates = [name]
    else:
        found = CONF.find_file(name)
        candidates = [found] if found else []
        here = os.path.dirname(os.path.abspath(__file__))
        candidates += [
            os.path.join(here, os.pardir, os.pardir, 'etc', name),
            os.path.join(sys.prefix, 'etc', 'nova', name),
            os.path.join('/etc/nova', name),
        ]
    for path in candidates:
        if path and os.path.isfile(path):
            return os.path.abspath(path)
    raise exception.Invalid(
        reason=f'cannot find the Paste configuration {name!r}; set '
               f'[wsgi] api_paste_config')


def load_app(name: str = APP_NAME) -> Any:
    return deploy.loadapp(f'config:{find_paste_config()}', name=name)
