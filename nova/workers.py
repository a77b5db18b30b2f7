"""Run a service in several worker processes (``[conductor] workers``...).

The parent forks the workers before any connection exists, tells systemd
READY=1 once every worker consumes, forwards SIGTERM/SIGINT/SIGHUP to
them, restarts a worker that dies on its own, and exits 0 once all
stopped cleanly. Each worker is an ordinary single-process Launcher.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

from oslo_config import cfg
from oslo_log import log as logging
from oslo_service import systemd

from nova import exception
from nova import launcher
from nova import rpc

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

ServiceFactory = Callable[[], list[Any]]


def serve(factory: ServiceFactory, workers: int | None) -> int:
    """Run ``factory()``'s services, in ``workers`` processes if > 1."""
    if not workers or workers <= 1:
        services = _build(factory)
        return 1 if services is None else launcher.Launcher(services).run()
    # Fail in the parent, with one clear line, before forking anything.
    if _build(factory) is None:
        return 1
    return _Group(factory, workers).run()


def _build(factory: ServiceFactory) -> list[Any] | None:
    """The services, or None after logging why they cannot start (a
    misconfiguration: unknown driver or filter, bad option value)."""
    try:
        return factory()
    except exception.NovaException as exc:
        message = exc.format_message()
    # Outside the except block: an expected misconfiguration is one line,
    # not a traceback.
    LOG.error('Cannot start: %s', message)
    return None


class _Group:
    def __init__(self, factory: ServiceFactory, workers: int) -> None:
        self.factory = factory
        self.workers = workers
        self.children: dict[int, int] = {}  # pid -> worker index
        self.stopping = False
        self.failed = False

    def run(self) -> int:
        ready_r, ready_w = os.pipe()
        for index in range(self.workers):
            self._spawn(index, ready_w)
        self._install_signal_handlers()
        self._wait_ready(ready_r)
        systemd.notify_once()
        LOG.info('%d workers are consuming', self.workers)
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            index = self.children.pop(pid, None)
            code = os.waitstatus_to_exitcode(status)
            if self.stopping:
                self.failed |= code != 0
            elif index is not None:
                LOG.error('Worker %d (pid %d) died with %d; restarting',
                          index, pid, code)
                time.sleep(1)  # do not spin if it dies at once again
                self._spawn(index, None)
        return 1 if self.failed else 0

    def _spawn(self, index: int, ready_w: int | None) -> None:
        pid = os.fork()
        if pid:
            self.children[pid] = index
            return
        code = 1
        try:
            code = self._child(ready_w)
        except BaseException:  # noqa: BLE001 - a child must never return
            LOG.exception('Worker %d failed', index)
        finally:
            os._exit(code)

    def _child(self, ready_w: int | None) -> int:
        for signo in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signo, signal.SIG_DFL)
        # Only the parent talks to systemd; each worker has its own
        # connections to the broker.
        os.environ.pop('NOTIFY_SOCKET', None)
        rpc.cleanup()
        rpc.init(CONF, executor=rpc.executor())

        def ready() -> None:
            if ready_w is not None:
                os.write(ready_w, b'.')

        return launcher.Launcher(self.factory(), on_ready=ready).run()

    def _wait_ready(self, ready_r: int) -> None:
        seen = 0
        while seen < self.workers and not self.stopping:
            try:
                data = os.read(ready_r, self.workers - seen)
            except InterruptedError:
                continue
            if not data:
                break
            seen += len(data)

    def _install_signal_handlers(self) -> None:
        def forward(signo: int, frame: Any) -> None:
            if signo in (signal.SIGTERM, signal.SIGINT):
                self.stopping = True
            for pid in list(self.children):
                try:
                    os.kill(pid, signo)
                except ProcessLookupError:
                    pass
        for signo in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signo, forward)
