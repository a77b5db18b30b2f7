"""Real daemons as separate OS processes, for multi-process tests.

Each daemon gets its own ``NOTIFY_SOCKET`` (a datagram socket the test
listens on) so "ready" means what systemd would see: READY=1 once the
daemon consumes. Logs go to a file per daemon and are shown when a wait
fails. Every process is killed at clean-up, even if a test fails.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

from tests.fixtures import allocation_audit

MODULES = {
    'nova-api': 'nova.cmd.api',
    'nova-conductor': 'nova.cmd.conductor',
    'nova-scheduler': 'nova.cmd.scheduler',
    'nova-compute': 'nova.cmd.compute',
    'nova-image-api': 'nova.cmd.image_api',
    'nova-all': 'nova.cmd.all',
    'nova-manage': 'nova.cmd.manage',
}


def wait_for(predicate: Any, timeout: float, what: str,
              interval: float = 0.1) -> Any:
    """Poll ``predicate`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f'timed out after {timeout}s waiting for '
                                 f'{what}')
        time.sleep(interval)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class NotifySocket:
    """A systemd-style notification socket."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.messages: list[str] = []

    def receive(self, timeout: float) -> str | None:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(4096)
        except TimeoutError:
            return None
        message = data.decode()
        self.messages.append(message)
        return message

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


class Daemon:
    """One service process started with ``python -m nova.cmd.<x>``."""

    def __init__(self, binary: str, config_files: list[str], workdir: str,
                 name: str | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.binary = binary
        self.name = name or binary
        self.config_files = config_files
        self.workdir = workdir
        self.env = env or {}
        self.log_path = os.path.join(workdir, f'{self.name}.log')
        self.proc: subprocess.Popen | None = None
        self.notify: NotifySocket | None = None

    def start(self) -> Daemon:
        # Unix socket paths are limited to ~100 bytes: keep them short.
        sock_path = f'/tmp/nova-notify-{uuid.uuid4().hex[:12]}'
        self.notify = NotifySocket(sock_path)
        env = dict(os.environ)
        env.update(self.env)
        env['NOTIFY_SOCKET'] = sock_path
        argv = [sys.executable, '-m', MODULES[self.binary]]
        for path in self.config_files:
            argv += ['--config-file', path]
        self._log = open(self.log_path, 'ab')  # noqa: SIM115
        self.proc = subprocess.Popen(argv, stdout=self._log,
                                     stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f'{self.name} exited with {self.proc.returncode} '
                    f'before READY=1:\n{self.log_tail()}')
            message = self.notify.receive(timeout=0.5)
            if message and 'READY=1' in message:
                return
        raise AssertionError(f'{self.name} sent no READY=1 within '
                             f'{timeout}s:\n{self.log_tail()}')

    @property
    def pid(self) -> int:
        return self.proc.pid

    def signal(self, signo: int) -> None:
        self.proc.send_signal(signo)

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(
                    f'{self.name} did not stop within {timeout}s:\n'
                    f'{self.log_tail()}') from None
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            # The whole session: a daemon with workers has children.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)

    def close(self) -> None:
        self.kill()
        if self.notify is not None:
            self.notify.close()
        if getattr(self, '_log', None):
            self._log.close()

    def log_tail(self, lines: int = 60) -> str:
        try:
            with open(self.log_path, errors='replace') as handle:
                return ''.join(handle.readlines()[-lines:])
        except FileNotFoundError:
            return '(no log)'


@contextlib.contextmanager
def daemons() -> Iterator[list[Daemon]]:
    """Collects daemons and kills whatever is left when the test ends."""
    started: list[Daemon] = []
    try:
        yield started
    finally:
        for daemon in started:
            daemon.close()


def write_config(path: str, sections: dict[str, dict[str, Any]]) -> str:
    with open(path, 'w') as handle:
        for section, values in sections.items():
            handle.write(f'[{section}]\n')
            for key, value in values.items():
                handle.write(f'{key} = {value}\n')
            handle.write('\n')
    return path


@contextlib.contextmanager
def nova_all(workdir: Any, extra: dict[str, dict[str, Any]] | None = None
             ) -> Iterator[tuple[int, str]]:
    """The embedded default (nova-all) in ``workdir`` with a port and a
    state of its own; yields (API port, config file) until stopped."""
    port = free_port()
    state = os.path.join(str(workdir), 'state')
    sections: dict[str, dict[str, Any]] = {
        'DEFAULT': {'state_path': state, 'osapi_compute_listen_port': port},
        # nova-all's own default, spelled out so nova-manage finds it too.
        'database': {'connection':
                     f"sqlite:///{os.path.join(state, 'nova.sqlite')}"}}
    for group, values in (extra or {}).items():
        sections.setdefault(group, {}).update(values)
    config = write_config(os.path.join(str(workdir), 'nova.conf'), sections)
    with daemons() as started:
        daemon = Daemon('nova-all', [config], str(workdir))
        started.append(daemon)
        daemon.start()
        daemon.wait_ready(timeout=120)
        try:
            yield port, config
        finally:
            daemon.stop()
        allocation_audit.check_database(sections['database']['connection'],
                                        f'nova-all in {workdir}')
