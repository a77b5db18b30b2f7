"""The connection to libvirt: reconnection, lifecycle events, host facts.

libvirt delivers events only to a process that registered its default
event loop implementation before opening connections, and only while some
thread runs that loop: ``_start_event_loop`` does both, once per process.
Event callbacks run in that loop thread, so they only translate and queue;
a dispatcher thread per ``Host`` hands events to the driver, and a slow
listener never stalls libvirt.

When libvirtd goes away (restart, upgrade, crash) the connection's close
callback asks the dispatcher to reconnect, retrying every
``RECONNECT_INTERVAL`` seconds: events resume as soon as libvirtd is back,
without waiting for some driver call to notice the dead connection.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import libvirt
from oslo_log import log as logging

from nova import exception
from nova.virt.event import Transition

LOG = logging.getLogger(__name__)

GiB = 1024 ** 3
RECONNECT_INTERVAL = 1.0  # seconds between attempts after libvirtd left

EventHandler = Callable[[str, Transition], None]


class _Reconnect:
    """Queued by the close callback of the connection of ``generation``."""

    def __init__(self, generation: int) -> None:
        self.generation = generation

_loop_lock = threading.Lock()
_loop_started = False


def _ignore_libvirt_error(_ctx: Any, _err: Any) -> None:
    # Errors are raised as exceptions anyway; without this handler libvirt
    # also prints each one to stderr.
    pass


libvirt.registerErrorHandler(_ignore_libvirt_error, None)


def _start_event_loop() -> None:
    global _loop_started
    with _loop_lock:
        if _loop_started:
            return
        libvirt.virEventRegisterDefaultImpl()

        def run() -> None:
            while True:
                libvirt.virEventRunDefaultImpl()

        threading.Thread(target=run, name='libvirt-event-loop',
                         daemon=True).start()
        _loop_started = True


def to_transition(event: int, detail: int) -> Transition | None:
    """Our transition for a libvirt lifecycle event; None: not reported
    (definitions, the "shutting down" notice before STOPPED, migrations)."""
    if event == libvirt.VIR_DOMAIN_EVENT_STARTED:
        return Transition.STARTED
    if event == libvirt.VIR_DOMAIN_EVENT_SUSPENDED:
        if detail == libvirt.VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED:
            return None
        return Transition.PAUSED
    if event == libvirt.VIR_DOMAIN_EVENT_RESUMED:
        return Transition.RESUMED
    if event == libvirt.VIR_DOMAIN_EVENT_STOPPED:
        if detail == libvirt.VIR_DOMAIN_EVENT_STOPPED_SAVED:
            return Transition.SUSPENDED
        if detail == libvirt.VIR_DOMAIN_EVENT_STOPPED_MIGRATED:
            return None
        return Transition.STOPPED
    if event == libvirt.VIR_DOMAIN_EVENT_PMSUSPENDED:
        return Transition.SUSPENDED
    return None


class Host:
    """A libvirt connection that reopens itself when it drops."""

    def __init__(self, uri: str,
                 event_handler: EventHandler | None = None) -> None:
        self.uri = uri
        self._event_handler = event_handler
        self._conn: libvirt.virConnect | None = None
        # Events from a connection we replaced carry an old generation and
        # are dropped: a closed connection may still hold its callbacks.
        self._generation = 0
        self._callback_id: int | None = None
        self._lock = threading.RLock()
        self._events: queue.Queue[
            tuple[str, Transition] | _Reconnect | None] = queue.Queue()
        self._stopping = threading.Event()
        self._dispatcher: threading.Thread | None = None

    # -- connection --------------------------------------------------------
    def start(self) -> None:
        """Connect and start delivering events (init_host)."""
        _start_event_loop()
        self._stopping.clear()
        if self._event_handler and self._dispatcher is None:
            self._dispatcher = threading.Thread(
                target=self._dispatch, name='libvirt-event-dispatch',
                daemon=True)
            self._dispatcher.start()
        self.get_connection()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            conn, self._conn = self._conn, None
            self._generation += 1
        if self._dispatcher is not None:
            self._events.put(None)
            self._dispatcher.join(timeout=5)
            self._dispatcher = None
        if conn is not None:
            try:
                if self._callback_id is not None:
                    conn.domainEventDeregisterAny(self._callback_id)
                if self._event_handler:
                    conn.unregisterCloseCallback()
                conn.close()
            except libvirt.libvirtError:
                pass

    def get_connection(self) -> libvirt.virConnect:
        with self._lock:
            conn = self._conn
            if conn is not None and self._alive(conn):
                return conn
            if conn is not None:
                LOG.warning('Connection to libvirt at %s was lost; '
                            'reconnecting', self.uri)
            self._conn = self._open()
            return self._conn

    @staticmethod
    def _alive(conn: libvirt.virConnect) -> bool:
        try:
            return bool(conn.isAlive())
        except libvirt.libvirtError:
            return False

    def _open(self) -> libvirt.virConnect:
        try:
            conn = libvirt.open(self.uri)
        except libvirt.libvirtError as e:
            raise exception.ServiceUnavailable(
                reason=f'cannot connect to libvirt at {self.uri}: '
                       f'{e.get_error_message()}') from e
        self._generation += 1
        if self._event_handler:
            self._callback_id = conn.domainEventRegisterAny(
                None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                self._on_lifecycle, self._generation)
            conn.registerCloseCallback(self._on_close, self._generation)
        LOG.info('Connected to libvirt at %s', self.uri)
        return conn

    # -- events ------------------------------------------------------------
    def _on_lifecycle(self, _conn: Any, domain: Any, event: int, detail: int,
                      generation: int) -> None:
        if generation != self._generation:
            return
        transition = to_transition(event, detail)
        if transition is not None:
            self._events.put((domain.UUIDString(), transition))

    @property
    def generation(self) -> int:
        """How many connections this Host opened (grows on reconnects)."""
        return self._generation

    def _on_close(self, _conn: Any, reason: int, generation: int) -> None:
        if generation == self._generation and not self._stopping.is_set():
            LOG.warning('libvirt at %s closed the connection (reason %s)',
                        self.uri, reason)
            self._events.put(_Reconnect(generation))

    def _reconnect(self, closed_generation: int) -> None:
        """Reopen until libvirtd answers again, or until stop()."""
        while (not self._stopping.is_set()
               and self._generation == closed_generation):
            try:
                self.get_connection()
                return
            except exception.ServiceUnavailable as e:
                LOG.debug('libvirt reconnection failed: %s', e)
            self._stopping.wait(RECONNECT_INTERVAL)

    def _dispatch(self) -> None:
        while True:
            item = self._events.get()
            if item is None:
                return
            if isinstance(item, _Reconnect):
                self._reconnect(item.generation)
                continue
            try:
                self._event_handler(*item)  # type: ignore[misc]
            except Exception:
                LOG.exception('Lifecycle event handler failed on %s', item)

    # -- domains -----------------------------------------------------------
    def lookup(self, instance_uuid: str) -> libvirt.virDomain:
        try:
            return self.get_connection().lookupByUUIDString(instance_uuid)
        except libvirt.libvirtError as e:
            if e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                raise exception.InstanceNotFound(
                    instance_id=instance_uuid) from e
            raise

    def list_domains(self) -> list[libvirt.virDomain]:
        return self.get_connection().listAllDomains(0)

    # -- host facts --------------------------------------------------------
    def hostname(self) -> str:
        return self.get_connection().getHostname()

    def cpu_info(self) -> str:
        caps = ET.fromstring(self.get_connection().getCapabilities())
        cpu = caps.find('./host/cpu')
        info: dict[str, Any] = {'arch': None, 'model': None, 'vendor': None,
                                'topology': {}, 'features': []}
        if cpu is not None:
            info['arch'] = cpu.findtext('arch')
            info['model'] = cpu.findtext('model')
            info['vendor'] = cpu.findtext('vendor')
            topology = cpu.find('topology')
            if topology is not None:
                info['topology'] = {k: int(v) for k, v in
                                    topology.attrib.items() if v.isdigit()}
            info['features'] = sorted(
                f.get('name') or f.tag for f in cpu.iterfind('feature'))
        return json.dumps(info)

    def resources(self, instances_path: str) -> dict[str, Any]:
        """Totals and usage of this host, per the contract's keys.

        Used memory and vCPUs are those given to running guests (what the
        scheduler cares about), not the host's own consumption; disk is the
        file system holding ``instances_path``.
        """
        conn = self.get_connection()
        _model, memory_mb, cpus = conn.getInfo()[:3]
        vcpus_used = memory_used_kib = 0
        for domain in conn.listAllDomains(
                libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
            _state, _max_kib, mem_kib, n_vcpus, _t = domain.info()
            vcpus_used += n_vcpus
            memory_used_kib += mem_kib
        os.makedirs(instances_path, exist_ok=True)
        fs = os.statvfs(instances_path)
        total_gb = fs.f_blocks * fs.f_frsize // GiB
        free_gb = fs.f_bavail * fs.f_frsize // GiB
        return {
            'vcpus': cpus,
            'memory_mb': memory_mb,
            'local_gb': total_gb,
            'vcpus_used': vcpus_used,
            'memory_mb_used': memory_used_kib // 1024,
            'local_gb_used': total_gb - free_gb,
            'hypervisor_type': conn.getType(),
            'hypervisor_version': int(conn.getVersion()),
            'hypervisor_hostname': conn.getHostname(),
            'cpu_info': self.cpu_info(),
            # qcow2 overlays grow into free space later; we do not reserve
            # their unallocated part, so this is simply the free space.
            'disk_available_least': free_gb,
        }
