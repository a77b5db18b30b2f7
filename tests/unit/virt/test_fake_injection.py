"""Failure and latency injection of the fake driver, through its options."""

import time

import pytest

from nova import exception
from nova.conf import fake_driver as fake_driver_conf
from nova.virt import power_state
from nova.virt.fake.driver import FakeDriver
from tests.unit.virt import factories


def make_driver(host='compute-1'):
    drv = FakeDriver()
    drv.init_host(host)
    return drv


def spawn(drv, image_meta=None, **overrides):
    instance = factories.make_instance(**overrides)
    drv.spawn(None, instance, image_meta or factories.make_image_meta(), [],
              None, {}, [])
    return instance


def test_spawn_fails_on_listed_hosts_only(flags):
    flags('fake_driver', fail_spawn_on_hosts=['bad-host'])
    bad, good = make_driver('bad-host'), make_driver('good-host')
    instance = factories.make_instance()
    with pytest.raises(exception.VirtDriverError) as err:
        bad.spawn(None, instance, factories.make_image_meta(), [], None, {},
                  [])
    assert 'fail_spawn_on_hosts includes bad-host' in str(err.value)
    assert instance.uuid in str(err.value)
    assert bad.list_instance_uuids() == []
    # The reschedule to another host succeeds.
    good.spawn(None, instance, factories.make_image_meta(), [], None, {}, [])
    assert good.get_info(instance).state == power_state.RUNNING


@pytest.mark.parametrize('listed', ['broken-image', 'image-broken-id'])
def test_spawn_fails_for_listed_image_name_or_id(flags, listed):
    flags('fake_driver', fail_spawn_for_images=[listed])
    drv = make_driver()
    broken = factories.make_image_meta(id='image-broken-id',
                                       name='broken-image')
    with pytest.raises(exception.VirtDriverError,
                       match=f'fail_spawn_for_images includes {listed}'):
        spawn(drv, broken)
    spawn(drv, factories.make_image_meta(id='fine', name='fine'))


def test_spawn_fraction_is_deterministic_per_uuid_and_host(flags):
    flags('fake_driver', fail_spawn_fraction=0.5)
    instances = [factories.make_instance() for _ in range(200)]

    def failures(host):
        drv = make_driver(host)
        failed = set()
        for instance in instances:
            try:
                drv.spawn(None, instance, factories.make_image_meta(), [],
                          None, {}, [])
            except exception.VirtDriverError:
                failed.add(instance.uuid)
        return failed

    first = failures('h1')
    assert 60 < len(first) < 140  # about half
    from nova.virt.fake import hypervisor
    hypervisor.reset()
    assert failures('h1') == first  # reproducible
    assert failures('h2') != first  # another host, other buckets


@pytest.mark.parametrize('fraction,fails', [(0.0, False), (1.0, True)])
def test_spawn_fraction_bounds(flags, fraction, fails):
    flags('fake_driver', fail_spawn_fraction=fraction)
    drv = make_driver()
    if fails:
        with pytest.raises(exception.VirtDriverError):
            spawn(drv)
    else:
        spawn(drv)


def test_spawn_can_fail_through_fail_operations(flags):
    flags('fake_driver', fail_operations=['spawn'])
    with pytest.raises(exception.VirtDriverError,
                       match='fail_operations includes spawn'):
        spawn(make_driver())


OPERATIONS = {
    'reboot': lambda d, i: d.reboot(None, i, [], 'HARD'),
    'power_off': lambda d, i: d.power_off(i),
    'pause': lambda d, i: d.pause(i),
    'suspend': lambda d, i: d.suspend(None, i),
    'destroy': lambda d, i: d.destroy(None, i, []),
    'rescue': lambda d, i: d.rescue(None, i, [], {}, None),
    'snapshot': lambda d, i: d.snapshot(None, i, 's', lambda **kw: None,
                                        None),
    'get_console_output': lambda d, i: d.get_console_output(None, i),
    'trigger_crash_dump': lambda d, i: d.trigger_crash_dump(i),
}


@pytest.mark.parametrize('operation', sorted(OPERATIONS))
def test_listed_operations_fail_and_leave_the_guest_alone(flags, operation):
    drv = make_driver()
    instance = spawn(drv)
    flags('fake_driver', fail_operations=[operation, 'power_on'])
    with pytest.raises(exception.VirtDriverError) as err:
        OPERATIONS[operation](drv, instance)
    assert f'fail_operations includes {operation}' in str(err.value)
    assert drv.get_info(instance).state == power_state.RUNNING
    assert drv.list_instance_uuids() == [instance.uuid]


def test_unlisted_operations_still_work(flags):
    drv = make_driver()
    instance = spawn(drv)
    flags('fake_driver', fail_operations=['reboot'])
    drv.power_off(instance)
    drv.power_on(None, instance, [])


def test_unknown_operation_names_are_rejected_by_the_option(flags):
    with pytest.raises(ValueError):
        flags('fake_driver', fail_operations=['reboto'])


def test_fail_operations_choices_are_driver_methods():
    for name in fake_driver_conf.OPERATIONS:
        assert callable(getattr(FakeDriver, name)), name


def test_spawn_delay_happens_before_the_guest_exists(flags):
    flags('fake_driver', spawn_delay=0.2)
    drv = make_driver()
    start = time.monotonic()
    spawn(drv)
    assert time.monotonic() - start >= 0.2


def test_operation_delay_applies_to_guest_operations_only(flags):
    drv = make_driver()
    instance = spawn(drv)
    flags('fake_driver', operation_delay=0.2)
    start = time.monotonic()
    drv.get_info(instance)
    drv.list_instance_uuids()
    assert time.monotonic() - start < 0.2
    drv.power_off(instance)
    assert time.monotonic() - start >= 0.2


def test_delay_comes_before_the_injected_failure(flags):
    drv = make_driver()
    instance = spawn(drv)
    flags('fake_driver', operation_delay=0.1, fail_operations=['reboot'])
    start = time.monotonic()
    with pytest.raises(exception.VirtDriverError):
        drv.reboot(None, instance, [], 'SOFT')
    assert time.monotonic() - start >= 0.1
