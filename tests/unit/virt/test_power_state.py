"""Power states and lifecycle transitions."""

import pytest

from nova.virt import power_state
from nova.virt.event import LifecycleEvent
from nova.virt.event import Transition


def test_values_are_the_compute_api_ones():
    assert (power_state.NOSTATE, power_state.RUNNING, power_state.PAUSED,
            power_state.SHUTDOWN, power_state.CRASHED,
            power_state.SUSPENDED) == (0, 1, 3, 4, 6, 7)


@pytest.mark.parametrize('state,name', [
    (0, 'pending'), (1, 'running'), (3, 'paused'), (4, 'shutdown'),
    (6, 'crashed'), (7, 'suspended')])
def test_names(state, name):
    assert power_state.name(state) == name


def test_unknown_state_is_an_error():
    with pytest.raises(ValueError, match='unknown power state 2'):
        power_state.name(2)


@pytest.mark.parametrize('transition,state', [
    (Transition.STARTED, power_state.RUNNING),
    (Transition.STOPPED, power_state.SHUTDOWN),
    (Transition.PAUSED, power_state.PAUSED),
    (Transition.RESUMED, power_state.RUNNING),
    (Transition.SUSPENDED, power_state.SUSPENDED)])
def test_transition_says_the_power_state_after_it(transition, state):
    assert transition.power_state == state


def test_event_carries_uuid_transition_and_time():
    event = LifecycleEvent('u-1', Transition.STOPPED, 12.5)
    assert (event.instance_uuid, event.transition, event.timestamp) == (
        'u-1', Transition.STOPPED, 12.5)
    assert 'u-1 stopped' in str(event)
    assert LifecycleEvent('u-1', Transition.STARTED).timestamp > 0
