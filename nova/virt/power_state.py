"""Power states of a guest, as the hypervisor sees it.

The numbers are the ``OS-EXT-STS:power_state`` values of the Compute API,
so they go to the database and to clients unchanged. Drivers map their
hypervisor's states onto these; nothing else is allowed.
"""

from __future__ import annotations

NOSTATE = 0
RUNNING = 1
PAUSED = 3
SHUTDOWN = 4  # powered off: the guest exists but does not run
CRASHED = 6
SUSPENDED = 7  # state saved to disk (or memory), resumable

STATE_MAP: dict[int, str] = {
    NOSTATE: 'pending',
    RUNNING: 'running',
    PAUSED: 'paused',
    SHUTDOWN: 'shutdown',
    CRASHED: 'crashed',
    SUSPENDED: 'suspended',
}

ALL_STATES = tuple(STATE_MAP)


def name(state: int) -> str:
    """The API's name of ``state``; unknown numbers are a driver bug."""
    try:
        return STATE_MAP[state]
    except KeyError:
        raise ValueError(f'unknown power state {state!r}') from None
