"""The source compute's bookkeeping of live migrations: slots, and abort
requests that must never fall between "queued" and "driver running"."""

import threading

from nova.compute import live_migrations

DEADLINE = 10


def _in_thread(target):
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_a_second_migration_waits_for_the_slot():
    tracker = live_migrations.LiveMigrations(1)
    entered = threading.Event()
    release = threading.Event()
    second_got = []

    def first():
        with tracker.tracked(1, 'a') as live, tracker.slot(live) as ok:
            assert ok
            entered.set()
            assert release.wait(DEADLINE)

    def second():
        with tracker.tracked(2, 'b') as live, tracker.slot(live) as ok:
            second_got.append(ok)

    one = _in_thread(first)
    assert entered.wait(DEADLINE)
    two = _in_thread(second)
    two.join(0.2)  # still waiting for the only slot
    assert two.is_alive() and not second_got
    release.set()
    one.join(DEADLINE)
    two.join(DEADLINE)
    assert second_got == [True]


def test_an_abort_wakes_a_queued_migration_without_a_slot():
    tracker = live_migrations.LiveMigrations(1)
    waiting = []

    tracked = threading.Event()
    with tracker.tracked(1, 'a') as busy, tracker.slot(busy):
        def queued():
            with tracker.tracked(2, 'b') as live:
                waiting.append(live)
                tracked.set()
                with tracker.slot(live) as ok:
                    waiting.append(ok)

        thread = _in_thread(queued)
        assert tracked.wait(DEADLINE)
        assert tracker.request_abort(tracker.get(2)) is False
        thread.join(DEADLINE)
        assert waiting[1] is False
    assert tracker.get(2) is None  # forgotten once its block ended


def test_abort_before_the_driver_starts_stops_it_from_starting():
    live = live_migrations.LiveMigration(1, 'a')
    tracker = live_migrations.LiveMigrations(0)  # no limit
    assert tracker.request_abort(live) is False
    assert live.start_driver() is False


def test_abort_while_the_driver_runs_must_reach_the_driver():
    live = live_migrations.LiveMigration(1, 'a')
    tracker = live_migrations.LiveMigrations(0)
    assert live.start_driver() is True
    assert tracker.request_abort(live) is True
    live.driver_done()
    assert tracker.request_abort(live) is False
