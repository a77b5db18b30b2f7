"""The running live migrations of a libvirt host
(nova/virt/libvirt/live_migration.Jobs): who may abort or force them,
and the completion timeout."""

from __future__ import annotations

import threading

import pytest

from nova import exception
from nova.virt.libvirt import live_migration


class _Guest:
    def __init__(self) -> None:
        self.aborted = threading.Event()

    def abort_job(self) -> None:
        self.aborted.set()


def test_only_a_running_migration_can_be_reached(flags):
    flags('libvirt', live_migration_completion_timeout=0)
    jobs = live_migration.Jobs()
    guest = _Guest()
    with pytest.raises(exception.InstanceInvalidState, match='not running'):
        jobs.get('uuid-1', 'abort')
    with jobs.running('uuid-1', guest):
        assert jobs.get('uuid-1', 'abort') is guest
    with pytest.raises(exception.InstanceInvalidState):
        jobs.get('uuid-1', 'force_complete')


def test_a_migration_past_its_completion_timeout_is_aborted(flags):
    flags('libvirt', live_migration_completion_timeout=1)
    jobs = live_migration.Jobs()
    guest = _Guest()
    with jobs.running('uuid-1', guest):
        assert guest.aborted.wait(10)

