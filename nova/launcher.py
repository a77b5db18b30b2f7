"""Run one or several Services in this process until a signal says stop.

oslo.service's threading backend runs every service in a forked child
process (cotyledon), which cannot share the in-process ``fake://``
transport that the embedded nova-all relies on, and it behaves
differently in eventlet mode. This launcher is the small equivalent that
works the same in both modes: SIGTERM/SIGINT stop consuming and let
in-flight requests finish within ``graceful_shutdown_timeout``; SIGHUP
reloads mutable options (log levels); systemd hears READY=1 once every
service consumes.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

from oslo_config import cfg
from oslo_log import log as logging
from oslo_service import systemd

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


class Launcher:
    def __init__(self, services: list[Any],
                 conf: cfg.ConfigOpts = CONF,
                 on_ready: Any = None) -> None:
        self.services = list(services)
        self.conf = conf
        # Default: tell systemd; worker processes tell their parent.
        self.on_ready = on_ready or systemd.notify_once
        self._stop = threading.Event()
        self._reload = threading.Event()

    def launch(self) -> None:
        self._install_signal_handlers()
        for service in self.services:
            service.start()
        # Only now are all RPC servers consuming: tell systemd we are up.
        self.on_ready()

    def run(self) -> int:
        """Start everything, then block until stopped. Returns exit code."""
        try:
            self.launch()
        except Exception:
            LOG.exception('Start-up failed')
            self._stop_services(timeout=5)
            return 1
        while not self._stop.is_set():
            self._stop.wait(1.0)
            if self._reload.is_set():
                self._reload.clear()
                self._reload_config()
        timeout = self.conf.graceful_shutdown_timeout
        return 0 if self._stop_services(timeout) else 1

    def request_stop(self) -> None:
        self._stop.set()

    # -- internals -----------------------------------------------------------
    def _install_signal_handlers(self) -> None:
        try:
            signal.signal(signal.SIGTERM, self._on_stop_signal)
            signal.signal(signal.SIGINT, self._on_stop_signal)
            signal.signal(signal.SIGHUP, self._on_hup)
        except ValueError:
            # Not the main thread (tests drive launchers from threads).
            LOG.debug('Signal handlers not installed outside the main '
                      'thread')

    def _on_stop_signal(self, signo: int, frame: Any) -> None:
        LOG.info('Caught %s, stopping gracefully',
                 signal.Signals(signo).name)
        self._stop.set()

    def _on_hup(self, signo: int, frame: Any) -> None:
        self._reload.set()

    def _reload_config(self) -> None:
        LOG.info('Caught SIGHUP, reloading mutable configuration')
        try:
            self.conf.mutate_config_files()
        except Exception:  # noqa: BLE001 - a bad file must not kill us
            LOG.exception('Reloading configuration failed')
            return
        for service in self.services:
            service.reset()
        LOG.info('Configuration reloaded; debug logging is %s',
                 'on' if self.conf.debug else 'off')
        LOG.debug('Debug logging is active')

    def _stop_services(self, timeout: int | None) -> bool:
        """Stop each service and wait for its in-flight work, last
        started first: in one process (nova-all) the API goes before the
        compute, and the compute finishes its work while the conductor it
        calls still answers."""
        waiter = threading.Thread(target=self._stop_in_order, daemon=True)
        deadline = time.monotonic() + timeout if timeout else None
        waiter.start()
        waiter.join(None if deadline is None
                    else max(0.0, deadline - time.monotonic()))
        if waiter.is_alive():
            LOG.error('In-flight requests did not finish within %s s; '
                      'exiting anyway', timeout)
            return False
        return True

    def _stop_in_order(self) -> None:
        for service in reversed(self.services):
            try:
                service.stop()
                service.wait()
            except Exception:  # noqa: BLE001
                LOG.exception('Error while stopping %s', service)


def register_opts(conf: cfg.ConfigOpts = CONF) -> None:
    """oslo.service's own options (graceful_shutdown_timeout...)."""
    from oslo_service import service as oslo_service
    for group, opts in oslo_service.list_opts():
        try:
            conf.register_opts(opts, group=group)
        except cfg.DuplicateOptError:
            pass
