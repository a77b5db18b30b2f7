"""Cold and live migration with the fake driver, in the manager's order."""

import types

import pytest

from nova import exception
from nova.virt import power_state
from nova.virt.event import Transition
from nova.virt.fake.driver import FakeDriver
from tests.unit.virt import factories

T = Transition


def make_driver(host):
    drv = FakeDriver()
    drv.init_host(host)
    events = factories.EventRecorder()
    drv.register_event_listener(events)
    return drv, events


def spawn(drv, **overrides):
    instance = factories.make_instance(**overrides)
    drv.spawn(None, instance, factories.make_image_meta(), [], None, {}, [])
    return instance


def migration(source, dest):
    return {'uuid': 'm-1', 'source_compute': source, 'dest_compute': dest,
            'source_node': source, 'dest_node': dest}


def resized(instance, **sizes):
    flavor = factories.make_flavor(**sizes)
    return types.SimpleNamespace(**{**vars(instance), **sizes,
                                    'flavor': flavor})


def cold_migrate(src, dst, instance, new_instance, mig):
    disk_info = src.migrate_disk_and_power_off(
        None, instance, mig['dest_compute'], new_instance.flavor, [])
    dst.finish_migration(None, mig, new_instance, disk_info, [],
                         factories.make_image_meta(), True, {})


def test_cold_migration_confirmed():
    src, src_events = make_driver('h1')
    dst, dst_events = make_driver('h2')
    instance = spawn(src)
    bigger = resized(instance, vcpus=2, memory_mb=512)
    cold_migrate(src, dst, instance, bigger, migration('h1', 'h2'))
    assert src.get_info(instance).state == power_state.SHUTDOWN
    assert dst.get_info(bigger).state == power_state.RUNNING
    assert dst.get_available_resource('h2')['vcpus_used'] == 2
    assert src_events.transitions(instance.uuid) == [T.STARTED, T.STOPPED]
    assert dst_events.transitions(instance.uuid) == [T.STARTED]
    src.confirm_migration(None, migration('h1', 'h2'), instance, [])
    assert src.list_instance_uuids() == []
    assert src.get_available_resource('h1')['vcpus_used'] == 0


def test_cold_migration_reverted():
    src, _ = make_driver('h1')
    dst, _ = make_driver('h2')
    instance = spawn(src)
    bigger = resized(instance, vcpus=2)
    mig = migration('h1', 'h2')
    cold_migrate(src, dst, instance, bigger, mig)
    dst.destroy(None, bigger, [])
    src.finish_revert_migration(None, instance, [], mig)
    assert dst.list_instance_uuids() == []
    assert src.get_info(instance).state == power_state.RUNNING
    assert src.get_available_resource('h1')['vcpus_used'] == 1


@pytest.mark.parametrize('confirm', [True, False])
def test_resize_on_the_same_host(confirm):
    drv, events = make_driver('h1')
    instance = spawn(drv)
    bigger = resized(instance, vcpus=3)
    mig = migration('h1', 'h1')
    cold_migrate(drv, drv, instance, bigger, mig)
    assert drv.get_available_resource('h1')['vcpus_used'] == 3
    if confirm:
        drv.confirm_migration(None, mig, bigger, [])
        expected_vcpus = 3
    else:
        drv.finish_revert_migration(None, instance, [], mig)
        expected_vcpus = 1
    assert drv.get_info(instance).state == power_state.RUNNING
    assert drv.get_available_resource('h1')['vcpus_used'] == expected_vcpus
    assert drv.list_instance_uuids() == [instance.uuid]


def test_finish_migration_may_leave_the_guest_stopped():
    src, _ = make_driver('h1')
    dst, _ = make_driver('h2')
    instance = spawn(src)
    disk_info = src.migrate_disk_and_power_off(None, instance, 'h2', None,
                                               [])
    dst.finish_migration(None, migration('h1', 'h2'), instance, disk_info,
                         [], {}, False, {}, power_on=False)
    assert dst.get_info(instance).state == power_state.SHUTDOWN


def live_migrate(src, dst, instance):
    calls = []
    dest_data = dst.check_can_live_migrate_destination(None, instance, {},
                                                       {})
    data = src.check_can_live_migrate_source(None, instance, dest_data)
    data = dst.pre_live_migration(None, instance, None, [], None, data)

    def post(context, inst, dest, block_migration, migrate_data):
        calls.append('post')
        dst.post_live_migration_at_destination(context, inst, [])

    def recover(context, inst, dest, migrate_data):
        calls.append('recover')
        dst.rollback_live_migration_at_destination(context, inst, [], None)

    src.live_migration(None, instance, dst.host, post, recover,
                       migrate_data=data)
    return calls


def test_live_migration_moves_a_running_guest():
    src, src_events = make_driver('h1')
    dst, _ = make_driver('h2')
    instance = spawn(src, node='h1')
    assert live_migrate(src, dst, instance) == ['post']
    assert src.list_instance_uuids() == []
    assert dst.get_info(instance).state == power_state.RUNNING
    # The guest did not stop: no STOPPED from the source.
    assert src_events.transitions(instance.uuid) == [T.STARTED]


def test_live_migration_failure_recovers(flags):
    src, _ = make_driver('h1')
    dst, _ = make_driver('h2')
    instance = spawn(src)
    flags('fake_driver', fail_operations=['live_migration'])
    assert live_migrate(src, dst, instance) == ['recover']
    assert src.get_info(instance).state == power_state.RUNNING
    assert dst.list_instance_uuids() == []


def test_live_migration_checks():
    src, _ = make_driver('h1')
    instance = spawn(src)
    with pytest.raises(exception.Invalid):
        src.check_can_live_migrate_source(None, instance,
                                          {'dest_host': 'h1'})
    src.power_off(instance)
    with pytest.raises(exception.InstanceInvalidState):
        src.check_can_live_migrate_source(None, instance,
                                          {'dest_host': 'h2'})
