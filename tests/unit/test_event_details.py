"""2.84 instance action event details from what the services recorded."""

from __future__ import annotations

from nova.compute import instance_actions


def _event(result: str, traceback: str | None = None,
           details: str | None = None) -> dict:
    return {'result': result, 'traceback': traceback, 'details': details}


def test_recorded_details_win() -> None:
    event = _event('Error', 'Traceback\nKeyError: x', 'Disk full')
    assert instance_actions.event_details(event) == 'Disk full'


def test_success_has_none() -> None:
    assert instance_actions.event_details(_event('Success')) is None


def test_our_exception_shows_its_message() -> None:
    event = _event('Error', 'Traceback (most recent call last):\n'
                   '  File "x.py", line 1, in f\n'
                   'nova.exception.VirtDriverError: No space left\n')
    assert instance_actions.event_details(event) == 'No space left'


def test_foreign_exception_shows_its_class_only() -> None:
    event = _event('Error', 'Traceback (most recent call last):\n'
                   '  File "x.py", line 1, in f\n'
                   'sqlalchemy.exc.OperationalError: password=hunter2\n')
    assert instance_actions.event_details(event) == 'OperationalError'


def test_failed_without_traceback_has_none() -> None:
    assert instance_actions.event_details(_event('Error')) is None
