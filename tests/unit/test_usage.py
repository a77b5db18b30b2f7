"""The usage arithmetic of os-simple-tenant-usage (nova.compute.usage)."""

import datetime

import pytest

from nova import exception
from nova.compute import usage

START = datetime.datetime(2026, 1, 1)
END = datetime.datetime(2026, 1, 2)


def at(hours: float) -> datetime.datetime:
    return START + datetime.timedelta(hours=hours)


def instance(launched=None, terminated=None, deleted=0, **overrides):
    values = {'uuid': 'u1', 'display_name': 'vm', 'project_id': 'p',
              'vm_state': 'active', 'launched_at': launched,
              'terminated_at': terminated, 'deleted': deleted, 'vcpus': 2,
              'memory_mb': 1024, 'root_gb': 10, 'ephemeral_gb': 5}
    values.update(overrides)
    return values


@pytest.mark.parametrize('launched, terminated, hours', [
    (at(0), None, 24.0),              # whole period
    (at(-48), None, 24.0),            # started before: billed from start
    (at(6), None, 18.0),              # started inside
    (at(0), at(6), 6.0),              # ended inside
    (at(-10), at(2), 2.0),            # spans the start
    (at(20), at(30), 4.0),            # spans the end
    (at(-10), at(-1), 0.0),           # ended before
    (at(30), None, 0.0),              # started after
    (None, None, 0.0),                # never launched
    (at(3), at(3), 0.0),              # zero length
])
def test_hours_in_period(launched, terminated, hours):
    assert usage.hours_in_period(launched, terminated, START, END) == hours


@pytest.mark.parametrize('launched, terminated, listed', [
    (at(0), None, True),
    (None, None, True),               # not launched yet: listed with 0h
    (at(-10), at(-1), False),
    (at(30), None, False),
    (at(-10), START, False),          # ended exactly at the start
])
def test_overlaps(launched, terminated, listed):
    assert usage.overlaps(instance(launched, terminated), START,
                          END) is listed


def test_server_usage_of_a_running_server():
    now = at(30)
    row = usage.server_usage(instance(at(12)), 'm1', START, END, now)
    assert row['hours'] == 12.0
    assert row['state'] == 'active'
    assert row['local_gb'] == 15
    assert row['uptime'] == 18 * 3600
    assert row['ended_at'] is None
    assert row['flavor'] == 'm1'


def test_server_usage_of_a_deleted_server():
    row = usage.server_usage(instance(at(0), at(6), deleted=7), 'm1',
                             START, END, at(30))
    assert row['state'] == 'terminated'
    assert row['uptime'] == 6 * 3600
    assert row['hours'] == 6.0


def test_server_usage_never_launched():
    row = usage.server_usage(instance(vm_state='building'), 'm1', START,
                             END, at(1))
    assert row['hours'] == 0.0
    assert row['uptime'] == 0


def test_summarize_multiplies_sizes_by_hours():
    rows = [usage.server_usage(instance(at(0)), 'a', START, END, END),
            usage.server_usage(instance(at(12), vcpus=1, memory_mb=512,
                                        root_gb=1, ephemeral_gb=0),
                               'b', START, END, END)]
    total = usage.summarize(rows, 'p', START, END)
    assert total['total_hours'] == 36.0
    assert total['total_vcpus_usage'] == 2 * 24 + 1 * 12
    assert total['total_memory_mb_usage'] == 1024 * 24 + 512 * 12
    assert total['total_local_gb_usage'] == 15 * 24 + 1 * 12
    assert total['tenant_id'] == 'p'
    assert (total['start'], total['stop']) == (START, END)


# Explicit ids: gabbi's pytest plugin takes any test id with a ':' for
# one of its own.
@pytest.mark.parametrize('text', [
    '2026-01-01T00:00:00', '2026-01-01T00:00:00.000000',
    '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00'],
    ids=['iso', 'iso-us', 'space-us', 'space'])
def test_parse_time_formats(text):
    assert usage.parse_time(text) == START


def test_parse_time_defaults_to_now():
    assert usage.parse_time(None, now=END) == END


def test_parse_time_rejects_garbage():
    with pytest.raises(exception.Invalid):
        usage.parse_time('tomorrow')


def test_check_period():
    usage.check_period(START, START)
    with pytest.raises(exception.Invalid):
        usage.check_period(END, START)
