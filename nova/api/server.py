"""Serve the API with a multi-threaded WSGI server (cheroot).

``WSGIService`` has the same start/stop/wait/reset shape as
``nova.service.Service`` so one Launcher can run it alone (nova-api) or
next to the RPC services (nova-all).
"""

from __future__ import annotations

import threading
from typing import Any

from cheroot import wsgi as cheroot_wsgi
from oslo_config import cfg
from oslo_log import log as logging

from nova.api import app as api_app

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


class WSGIService:
    def __init__(self, name: str = api_app.APP_NAME,
                 host: str | None = None, port: int | None = None,
                 application: Any = None, reuse_port: bool = False) -> None:
        self.name = name
        self.host = host or CONF.osapi_compute_listen
        self.port = CONF.osapi_compute_listen_port if port is None \
            else port
        self.application = application
        # Worker processes each bind the same port (SO_REUSEPORT) and the
        # kernel spreads connections among them.
        self.reuse_port = reuse_port
        self.server: cheroot_wsgi.Server | None = None
        self._serving: threading.Thread | None = None
        self._stopping: threading.Thread | None = None

    def __repr__(self) -> str:
        return f'<WSGIService {self.name} on {self.host}:{self.port}>'

    def start(self) -> None:
        app = self.application or api_app.load_app(self.name)
        self.server = cheroot_wsgi.Server(
            (self.host, self.port), app,
            numthreads=CONF.wsgi.threads,
            request_queue_size=CONF.wsgi.backlog,
            reuse_port=self.reuse_port,
            server_name='nova-api',
            timeout=CONF.wsgi.client_socket_timeout or None)
        # In-flight requests get the same grace period as RPC services.
        self.server.shutdown_timeout = CONF.graceful_shutdown_timeout or 60
        self.server.prepare()  # binds now, so readiness means listening
        self.port = self.server.bind_addr[1]
        self._serving = threading.Thread(target=self.server.serve,
                                         name='wsgi-serve', daemon=True)
        self._serving.start()
        LOG.info('%s listening on http://%s:%s', self.name, self.host,
                 self.port)

    def stop(self) -> None:
        if self.server is None or self._stopping is not None:
            return
        # cheroot's stop() blocks until workers finish their requests;
        # run it aside so the launcher can stop other services meanwhile.
        self._stopping = threading.Thread(target=self.server.stop,
                                          name='wsgi-stop', daemon=True)
        self._stopping.start()

    def wait(self) -> None:
        if self._stopping is not None:
            self._stopping.join()
        if self._serving is not None:
            self._serving.join()

    def reset(self) -> None:
        """Nothing to reload beyond the options oslo.config mutates."""
