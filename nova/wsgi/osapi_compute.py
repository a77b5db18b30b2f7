"""``application`` for uWSGI / mod_wsgi / gunicorn.

Example: ``uwsgi --http-socket :8774 --module
nova.wsgi.osapi_compute:application``. Configuration files come from
``OS_NOVA_CONFIG_FILES`` (colon separated) or the usual search path.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from nova.cmd import common


def init_application() -> Any:
    files = os.environ.get('OS_NOVA_CONFIG_FILES')
    default_files = files.split(':') if files else None
    common.init([sys.argv[0]], default_config_files=default_files)
    from nova.api import app
    return app.load_app()


application = init_application()
