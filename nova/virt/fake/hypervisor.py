"""The in-memory hypervisor behind the fake driver.

One ``FakeHypervisor`` per service host name, kept in a per-process
registry: several nova-compute services in one process (nova-all) each get
their own nodes and guests, and a service restarted in the same process
finds its guests again, like a real hypervisor outliving nova-compute.
Guests follow real power-state rules and every change is reported as a
``LifecycleEvent`` to the subscribed drivers.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

from nova import conf as nova_conf
from nova import exception
from nova.virt import power_state
from nova.virt.contract import Instance
from nova.virt.event import LifecycleEvent
from nova.virt.event import Transition

CONF = nova_conf.CONF

Listener = Callable[[LifecycleEvent], None]

_RUNNABLE = frozenset({power_state.RUNNING})
_ANY = frozenset(power_state.ALL_STATES)


def node_names(host: str) -> list[str]:
    """Node names for ``host`` from ``[fake_driver] nodes``."""
    spec = [item.strip() for item in CONF.fake_driver.nodes if item.strip()]
    if len(spec) == 1 and spec[0].isdigit():
        count = max(int(spec[0]), 1)
        if count == 1:
            return [host]
        return [f'{host}-node{i}' for i in range(1, count + 1)]
    return [name.replace('{host}', host) for name in spec] or [host]


@dataclasses.dataclass
class FakeGuest:
    uuid: str
    name: str
    node: str
    vcpus: int
    memory_mb: int
    disk_gb: int
    image_id: str | None
    state: int = power_state.RUNNING
    rescued: bool = False
    crash_dumps: int = 0
    admin_password_set: bool = False
    saved_sizes: tuple[int, int, int] | None = None  # resize revert data
    console: list[str] = dataclasses.field(default_factory=list)

    def log(self, line: str) -> None:
        self.console.append(f'fake-hypervisor: {self.uuid}: {line}')


def guest_sizes(instance: Instance) -> tuple[int, int, int]:
    disk_gb = (int(instance.root_gb or 0) + int(instance.ephemeral_gb or 0)
               + (int(instance.swap or 0) + 1023) // 1024)
    return int(instance.vcpus), int(instance.memory_mb), disk_gb


class FakeHypervisor:
    """Guests and nodes of one host; every method is thread-safe."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.nodes = node_names(host)
        self.started_at = time.time()
        self._guests: dict[str, FakeGuest] = {}
        self._lock = threading.RLock()
        # Events are delivered in order, one batch at a time.
        self._emit_lock = threading.RLock()
        self._listeners: list[Listener] = []

    # -- subscriptions -----------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            if listener not in self._listeners:
                self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def _emit(self, uuid: str, transitions: Iterable[Transition]) -> None:
        with self._emit_lock:
            for transition in transitions:
                event = LifecycleEvent(uuid, transition)
                for listener in list(self._listeners):
                    listener(event)

    # -- queries -----------------------------------------------------------
    def get(self, uuid: str) -> FakeGuest:
        with self._lock:
            try:
                return self._guests[uuid]
            except KeyError:
                raise exception.InstanceNotFound(instance_id=uuid) from None

    def uuids(self) -> list[str]:
        with self._lock:
            return list(self._guests)

    def resources(self, nodename: str) -> dict[str, Any]:
        if nodename not in self.nodes:
            raise exception.ComputeNodeNotFound(node=nodename)
        opts = CONF.fake_driver
        with self._lock:
            guests = [g for g in self._guests.values() if g.node == nodename]
        used_disk = sum(g.disk_gb for g in guests)
        return {
            'vcpus': opts.vcpus,
            'memory_mb': opts.memory_mb,
            'local_gb': opts.local_gb,
            'vcpus_used': sum(g.vcpus for g in guests),
            'memory_mb_used': sum(g.memory_mb for g in guests),
            'local_gb_used': used_disk,
            'hypervisor_type': 'fake',
            'hypervisor_version': opts.hypervisor_version,
            'hypervisor_hostname': nodename,
            'cpu_info': json.dumps({
                'arch': 'x86_64', 'vendor': 'fake', 'model': 'fake-cpu',
                'topology': {'sockets': 1, 'cores': opts.vcpus,
                             'threads': 1},
                'features': []}),
            'disk_available_least': opts.local_gb - used_disk,
        }

    # -- guest creation and removal ----------------------------------------
    def create(self, instance: Instance, image_id: str | None,
               node: str | None, state: int = power_state.RUNNING) -> None:
        node = node or self.nodes[0]
        if node not in self.nodes:
            raise exception.ComputeNodeNotFound(node=node)
        vcpus, memory_mb, disk_gb = guest_sizes(instance)
        guest = FakeGuest(uuid=instance.uuid, name=instance.name, node=node,
                          vcpus=vcpus, memory_mb=memory_mb, disk_gb=disk_gb,
                          image_id=image_id, state=state)
        guest.log(f'created as {instance.name} on node {node} from image '
                  f'{image_id}')
        with self._lock:
            if instance.uuid in self._guests:
                raise exception.InstanceExists(name=instance.name)
            self._guests[instance.uuid] = guest
        if state == power_state.RUNNING:
            guest.log('booted; login prompt reached')
            self._emit(instance.uuid, [Transition.STARTED])

    def remove(self, uuid: str, migrated: bool = False) -> FakeGuest | None:
        """Remove the guest if present; a running guest reports STOPPED
        unless it ``migrated`` (it keeps running on another host).
        """
        with self._lock:
            guest = self._guests.pop(uuid, None)
        if guest is not None and not migrated and guest.state in (
                power_state.RUNNING, power_state.PAUSED):
            self._emit(uuid, [Transition.STOPPED])
        return guest

    # -- power-state changes -----------------------------------------------
    def change(self, uuid: str, action: str, allowed: Iterable[int],
               new_state: int, transitions: Iterable[Transition] = (),
               update: Callable[[FakeGuest], None] | None = None) -> None:
        """Move the guest to ``new_state`` if its state is ``allowed``,
        then report ``transitions``.
        """
        with self._lock:
            guest = self.get(uuid)
            if guest.state not in set(allowed):
                raise exception.InstanceInvalidState(
                    action=action, instance_uuid=uuid, attr='power_state',
                    state=power_state.name(guest.state))
            if update is not None:
                update(guest)
            guest.state = new_state
            guest.log(f'{action}: now {power_state.name(new_state)}')
        self._emit(uuid, transitions)

    def stop(self, uuid: str, action: str = 'power_off') -> None:
        """Power off from any state; stopping a stopped guest is a no-op."""
        with self._lock:
            guest = self.get(uuid)
            if guest.state == power_state.SHUTDOWN:
                return
            was_live = guest.state in (power_state.RUNNING,
                                       power_state.PAUSED)
            guest.state = power_state.SHUTDOWN
            guest.log(f'{action}: now shutdown')
        self._emit(uuid, [Transition.STOPPED] if was_live else [])

    def start(self, uuid: str, action: str = 'power_on') -> None:
        """Run from any state (a saved or paused guest loses its memory);
        starting a running guest is a no-op."""
        with self._lock:
            guest = self.get(uuid)
            if guest.state == power_state.RUNNING:
                return
            guest.state = power_state.RUNNING
            guest.log(f'{action}: now running')
        self._emit(uuid, [Transition.STARTED])

    def restart(self, uuid: str, action: str) -> None:
        """Stop (if needed) and start: reboots and rebuilds."""
        self.stop(uuid, action)
        self.start(uuid, action)

    def simulate_guest_stop(self, uuid: str) -> None:
        """The guest OS powered itself off (for tests and demos)."""
        self.change(uuid, 'guest shutdown', _RUNNABLE, power_state.SHUTDOWN,
                    [Transition.STOPPED])

    def simulate_guest_crash(self, uuid: str) -> None:
        self.change(uuid, 'guest crash', _RUNNABLE, power_state.CRASHED,
                    [Transition.STOPPED])


_REGISTRY: dict[str, FakeHypervisor] = {}
_REGISTRY_LOCK = threading.Lock()


def get_hypervisor(host: str) -> FakeHypervisor:
    """The hypervisor of ``host`` in this process, created on first use."""
    with _REGISTRY_LOCK:
        hypervisor = _REGISTRY.get(host)
        if hypervisor is None:
            hypervisor = _REGISTRY[host] = FakeHypervisor(host)
        return hypervisor


def reset() -> None:
    """Forget every host (tests; a process restart does the same)."""
    with _REGISTRY_LOCK:
        _REGISTRY.clear()
