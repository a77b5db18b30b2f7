"""Lifecycle events: a driver telling the compute manager a guest changed.

Guests change state without being asked (the guest OS powers off, the
hypervisor host crashes a guest, an operator runs ``virsh destroy``). A
driver reports every change it sees as a :class:`LifecycleEvent` to the
listener registered with ``ComputeDriver.register_event_listener``, so the
manager can update the instance's recorded power state without waiting for
its periodic sync.
"""

from __future__ import annotations

import dataclasses
import enum
import time

from nova.virt import power_state


class Transition(enum.StrEnum):
    """What happened to the guest; the value is what logs show."""

    STARTED = 'started'
    STOPPED = 'stopped'
    PAUSED = 'paused'
    RESUMED = 'resumed'
    SUSPENDED = 'suspended'

    @property
    def power_state(self) -> int:
        """The power state the guest is in after this transition."""
        return _POWER_STATE_AFTER[self]


_POWER_STATE_AFTER = {
    Transition.STARTED: power_state.RUNNING,
    Transition.STOPPED: power_state.SHUTDOWN,
    Transition.PAUSED: power_state.PAUSED,
    Transition.RESUMED: power_state.RUNNING,
    Transition.SUSPENDED: power_state.SUSPENDED,
}


@dataclasses.dataclass(frozen=True)
class LifecycleEvent:
    """``instance_uuid`` went through ``transition`` at ``timestamp``.

    ``timestamp`` is seconds since the epoch (``time.time()``) when the
    driver saw the change; events of one guest arrive in order.
    """

    instance_uuid: str
    transition: Transition
    timestamp: float = dataclasses.field(default_factory=time.time)

    def __str__(self) -> str:
        return (f'<LifecycleEvent {self.instance_uuid} '
                f'{self.transition.value} at {self.timestamp:.3f}>')
