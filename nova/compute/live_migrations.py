"""The live migrations a compute is running out of its host.

Each one waits for a slot (``[DEFAULT] max_concurrent_live_migrations``)
in status ``queued``, then prepares and runs. An abort request that comes
before the driver started is remembered and honoured at the next step;
one that comes while the driver copies the guest is passed to the driver.
The lock makes "has the driver started?" and "was an abort asked for?"
one decision, so no request falls between the two.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class LiveMigration:
    def __init__(self, migration_id: int, instance_uuid: str) -> None:
        self.migration_id = migration_id
        self.instance_uuid = instance_uuid
        self.lock = threading.Lock()
        self.abort_requested = False
        self.driver_running = False

    def start_driver(self) -> bool:
        """Mark the driver as started, unless an abort came first."""
        with self.lock:
            if self.abort_requested:
                return False
            self.driver_running = True
            return True

    def driver_done(self) -> None:
        with self.lock:
            self.driver_running = False


class LiveMigrations:
    def __init__(self, max_concurrent: int) -> None:
        # None: no limit.
        self._free: int | None = max_concurrent or None
        self._cond = threading.Condition()
        self._lock = threading.Lock()
        self._running: dict[int, LiveMigration] = {}

    @contextlib.contextmanager
    def tracked(self, migration_id: int,
                instance_uuid: str) -> Iterator[LiveMigration]:
        """Known (for abort and force-complete) for the whole block."""
        live = LiveMigration(migration_id, instance_uuid)
        with self._lock:
            self._running[migration_id] = live
        try:
            yield live
        finally:
            with self._lock:
                self._running.pop(migration_id, None)

    @contextlib.contextmanager
    def slot(self, live: LiveMigration) -> Iterator[bool]:
        """Wait for a free slot; False (and no slot) when ``live`` was
        aborted while it waited."""
        with self._cond:
            while not live.abort_requested and self._free == 0:
                self._cond.wait()
            if live.abort_requested:
                acquired = False
            else:
                acquired = True
                if self._free is not None:
                    self._free -= 1
        try:
            yield acquired
        finally:
            if acquired and self._free is not None:
                with self._cond:
                    self._free += 1
                    self._cond.notify_all()

    def request_abort(self, live: LiveMigration) -> bool:
        """Remember the abort; whether the driver is copying already (and
        must be told)."""
        with live.lock:
            live.abort_requested = True
            running = live.driver_running
        with self._cond:
            self._cond.notify_all()  # wake it if it waits for a slot
        return running

    def get(self, migration_id: int) -> LiveMigration | None:
        with self._lock:
            return self._running.get(migration_id)
