"""One libvirt domain: lifecycle calls with power-state rules.

Operations check the power state first and raise ``InstanceInvalidState``
themselves: libvirt drivers disagree on the error code of a wrong-state
call (the test driver says "internal error"), so the code alone cannot
tell a caller's mistake from a hypervisor failure.
"""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ET
from typing import Any

import libvirt

from nova import exception
from nova.virt import power_state
from nova.virt.libvirt import config

MAX_CONSOLE_BYTES = 100 * 1024
POLL_INTERVAL = 0.1

_POWER_STATES = {
    libvirt.VIR_DOMAIN_NOSTATE: power_state.NOSTATE,
    libvirt.VIR_DOMAIN_RUNNING: power_state.RUNNING,
    # Blocked means running but waiting for I/O.
    libvirt.VIR_DOMAIN_BLOCKED: power_state.RUNNING,
    libvirt.VIR_DOMAIN_PAUSED: power_state.PAUSED,
    libvirt.VIR_DOMAIN_SHUTDOWN: power_state.SHUTDOWN,  # stopping
    libvirt.VIR_DOMAIN_SHUTOFF: power_state.SHUTDOWN,
    libvirt.VIR_DOMAIN_CRASHED: power_state.CRASHED,
    libvirt.VIR_DOMAIN_PMSUSPENDED: power_state.SUSPENDED,
}


def to_power_state(libvirt_state: int, has_managed_save: bool) -> int:
    """Our power state for a libvirt domain state.

    A managed-saved domain is shut off as far as libvirt's state goes, but
    it resumes where it was: that is SUSPENDED.
    """
    if libvirt_state == libvirt.VIR_DOMAIN_SHUTOFF and has_managed_save:
        return power_state.SUSPENDED
    return _POWER_STATES.get(libvirt_state, power_state.NOSTATE)


def read_log_tail(path: str, max_bytes: int = MAX_CONSOLE_BYTES) -> str:
    """The last ``max_bytes`` of a console log; '' when there is none
    (not started yet, or a hypervisor without file serial ports)."""
    try:
        with open(path, 'rb') as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(size - max_bytes, 0))
            data = f.read()
    except FileNotFoundError:
        return ''
    return data.decode('utf-8', errors='replace')


class Guest:
    def __init__(self, domain: libvirt.virDomain) -> None:
        self._domain = domain

    @classmethod
    def define(cls, conn: libvirt.virConnect, xml: str) -> Guest:
        return cls(conn.defineXML(xml))

    @property
    def uuid(self) -> str:
        return self._domain.UUIDString()

    @property
    def name(self) -> str:
        return self._domain.name()

    # -- state -------------------------------------------------------------
    def power_state(self) -> int:
        state, _reason = self._domain.state()
        return to_power_state(state, self.has_managed_save())

    def is_active(self) -> bool:
        return bool(self._domain.isActive())

    def has_managed_save(self) -> bool:
        return bool(self._domain.hasManagedSaveImage(0))

    def _require(self, action: str, *states: int) -> int:
        state = self.power_state()
        if state not in states:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=self.uuid, attr='power_state',
                state=power_state.name(state))
        return state

    def wait_for_inactive(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.is_active():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_INTERVAL)
        return True

    # -- lifecycle ---------------------------------------------------------
    def launch(self) -> None:
        """Start the domain (restoring its managed-save image if any)."""
        self._domain.create()

    def destroy(self) -> None:
        """Pull the plug; a domain that is not running is left alone."""
        if not self.is_active():
            return
        try:
            self._domain.destroy()
        except libvirt.libvirtError as e:
            # It may have stopped on its own since we looked.
            if self.is_active():
                raise exception.VirtDriverError(
                    operation='destroy', instance_uuid=self.uuid,
                    reason=e.get_error_message()) from e

    def remove(self) -> None:
        """Destroy and undefine; a domain vanishing meanwhile is fine."""
        try:
            self.destroy()
            self.undefine()
        except libvirt.libvirtError as e:
            if e.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise

    def undefine(self) -> None:
        flags = libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
        try:
            self._domain.undefineFlags(flags)
        except libvirt.libvirtError as e:
            if e.get_error_code() != libvirt.VIR_ERR_NO_SUPPORT:
                raise
            self._domain.undefine()

    def shutdown(self, timeout: float, retry_interval: float = 0) -> bool:
        """Ask the guest OS to power off; True if it did within timeout.

        The request is repeated every ``retry_interval`` seconds (if > 0):
        a guest still booting ignores the first ACPI event.
        """
        deadline = time.monotonic() + timeout
        while self.is_active():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                self._domain.shutdown()
            except libvirt.libvirtError:
                if self.is_active():
                    raise
                return True
            wait = min(remaining, retry_interval) if retry_interval > 0 \
                else remaining
            if self.wait_for_inactive(wait):
                return True
        return True

    def power_off(self, timeout: float = 0, retry_interval: float = 0) -> None:
        if self.has_managed_save():
            # Stopping a suspended guest forgets its saved memory.
            self._domain.managedSaveRemove(0)
        if not self.is_active():
            return
        if timeout > 0 and self.shutdown(timeout, retry_interval):
            return
        self.destroy()

    def reboot_soft(self, timeout: float) -> bool:
        """Shut down cleanly and start again; False if the guest did not
        stop in time (it is left running for the caller to hard-reboot)."""
        if self.power_state() != power_state.RUNNING:
            return False
        if not self.shutdown(timeout):
            return False
        self.launch()
        return True

    def reboot_hard(self) -> None:
        """Start afresh from any state: the guest's memory is lost."""
        self.destroy()
        if self.has_managed_save():
            self._domain.managedSaveRemove(0)
        self.launch()

    def pause(self) -> None:
        self._require('pause', power_state.RUNNING)
        self._domain.suspend()  # libvirt's suspend freezes vCPUs

    def unpause(self) -> None:
        self._require('unpause', power_state.PAUSED)
        self._domain.resume()

    def save(self) -> None:
        """Managed save: memory to disk, domain stopped (SUSPENDED)."""
        self._require('suspend', power_state.RUNNING, power_state.PAUSED)
        self._domain.managedSave(0)

    def restore(self, paused: bool = False) -> None:
        self._require('resume', power_state.SUSPENDED)
        self._domain.create()
        # Not every driver restores a paused guest paused (test:///).
        if paused and self.power_state() == power_state.RUNNING:
            self._domain.suspend()
        elif not paused and self.power_state() == power_state.PAUSED:
            self._domain.resume()

    def inject_nmi(self) -> None:
        self._require('trigger_crash_dump', power_state.RUNNING)
        self._domain.injectNMI(0)

    # -- guest agent -------------------------------------------------------
    def agent_user(self) -> str | None:
        """The account changePassword sets through the QEMU guest agent,
        or None when the domain has no agent channel."""
        domain = self.xml()
        channel = domain.find(f'./devices/channel/target[@name='
                              f'"{config.GUEST_AGENT_CHANNEL}"]')
        if channel is None:
            return None
        ns = f'{{{config.NAMESPACE}}}'
        user = domain.find(f'metadata/{ns}instance/{ns}admin-user')
        return user.text if user is not None and user.text else 'root'

    def set_user_password(self, user: str, password: str) -> None:
        self._domain.setUserPassword(user, password, 0)

    # -- migration ---------------------------------------------------------
    def migrate(self, dest: libvirt.virConnect, params: dict[str, Any],
                flags: int) -> None:
        """Move the running domain to the libvirtd of ``dest``; blocks
        until it is there, or raises libvirtError with it still here."""
        self._domain.migrate3(dest, params, flags)

    def abort_job(self) -> None:
        self._domain.abortJob()

    def block_capacity(self, path: str) -> int:
        """Virtual size in bytes of the disk at ``path`` (libvirt reads
        it while QEMU holds the file)."""
        return int(self._domain.blockInfo(path)[0])

    # -- description -------------------------------------------------------
    def xml(self) -> ET.Element:
        return ET.fromstring(self._domain.XMLDesc(0))

    def definition(self) -> str:
        """The persistent definition, as libvirt would take it back
        (with the addresses libvirt chose and any secrets)."""
        return self._domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE
                                    | libvirt.VIR_DOMAIN_XML_SECURE)

    def migratable_definition(self) -> str:
        """The running domain's XML as another host's libvirtd takes it."""
        return self._domain.XMLDesc(libvirt.VIR_DOMAIN_XML_MIGRATABLE
                                    | libvirt.VIR_DOMAIN_XML_SECURE)

    def disk_targets(self) -> list[str]:
        """Target devices (vda...) of the file-backed disks, CD-ROMs left
        out, in the order of the definition."""
        targets = []
        for disk in self.xml().iterfind('./devices/disk[@device="disk"]'):
            source, target = disk.find('source'), disk.find('target')
            if source is not None and source.get('file') and \
                    target is not None:
                targets.append(target.get('dev'))
        return targets

    def file_disks(self) -> list[tuple[str, str]]:
        """(path, format) of each file-backed disk, CD-ROMs left out, in
        the order of the definition."""
        found = []
        for disk in self.xml().iterfind('./devices/disk[@device="disk"]'):
            source = disk.find('source')
            driver = disk.find('driver')
            if source is not None and source.get('file'):
                fmt = driver.get('type') if driver is not None else 'raw'
                found.append((source.get('file'), fmt or 'raw'))
        return found

    def root_disk(self) -> tuple[str, str]:
        """(path, format) of the first file-backed disk."""
        disks = self.file_disks()
        if disks:
            return disks[0]
        raise exception.VirtDriverError(
            operation='snapshot', instance_uuid=self.uuid,
            reason='the domain has no file-backed disk')

    def vnc_address(self) -> tuple[str, int] | None:
        """(listen address, port) of a running VNC server, if any."""
        graphics = self.xml().find('./devices/graphics[@type="vnc"]')
        if graphics is None:
            return None
        port = int(graphics.get('port') or -1)
        if port <= 0:
            return None
        return graphics.get('listen') or '127.0.0.1', port
