"""libvirt states and events mapped to ours, and console log reading."""

import libvirt
import pytest

from nova.virt import power_state
from nova.virt.event import Transition
from nova.virt.libvirt import guest
from nova.virt.libvirt import host


@pytest.mark.parametrize('libvirt_state,saved,expected', [
    (libvirt.VIR_DOMAIN_NOSTATE, False, power_state.NOSTATE),
    (libvirt.VIR_DOMAIN_RUNNING, False, power_state.RUNNING),
    (libvirt.VIR_DOMAIN_BLOCKED, False, power_state.RUNNING),
    (libvirt.VIR_DOMAIN_PAUSED, False, power_state.PAUSED),
    (libvirt.VIR_DOMAIN_SHUTDOWN, False, power_state.SHUTDOWN),
    (libvirt.VIR_DOMAIN_SHUTOFF, False, power_state.SHUTDOWN),
    (libvirt.VIR_DOMAIN_SHUTOFF, True, power_state.SUSPENDED),
    (libvirt.VIR_DOMAIN_CRASHED, False, power_state.CRASHED),
    (libvirt.VIR_DOMAIN_PMSUSPENDED, False, power_state.SUSPENDED),
    (99, False, power_state.NOSTATE),
])
def test_power_state_mapping(libvirt_state, saved, expected):
    assert guest.to_power_state(libvirt_state, saved) == expected


E = libvirt


@pytest.mark.parametrize('event,detail,expected', [
    (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED,
     Transition.STARTED),
    (E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_RESTORED,
     Transition.STARTED),
    (E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
     Transition.PAUSED),
    (E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED,
     None),
    (E.VIR_DOMAIN_EVENT_RESUMED, 0, Transition.RESUMED),
    (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN,
     Transition.STOPPED),
    (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
     Transition.STOPPED),
    (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_CRASHED,
     Transition.STOPPED),
    (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_SAVED,
     Transition.SUSPENDED),
    (E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_MIGRATED, None),
    (E.VIR_DOMAIN_EVENT_PMSUSPENDED, 0, Transition.SUSPENDED),
    (E.VIR_DOMAIN_EVENT_SHUTDOWN, 0, None),
    (E.VIR_DOMAIN_EVENT_DEFINED, 0, None),
    (E.VIR_DOMAIN_EVENT_UNDEFINED, 0, None),
    (E.VIR_DOMAIN_EVENT_CRASHED, 0, None),
])
def test_event_mapping(event, detail, expected):
    assert host.to_transition(event, detail) == expected


def test_console_log_tail(tmp_path):
    log = tmp_path / 'console.log'
    assert guest.read_log_tail(str(log)) == ''
    log.write_bytes(b'boot\n' + b'x' * 50 + b'\nlogin: \xff\n')
    assert guest.read_log_tail(str(log)).startswith('boot\n')
    tail = guest.read_log_tail(str(log), max_bytes=9)
    assert tail == 'login: \ufffd\n'
