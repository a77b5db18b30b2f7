"""The fake driver: guests, power states, events, inventory, consoles."""

import json

import pytest

from nova import exception
from nova.virt import contract
from nova.virt import power_state
from nova.virt.event import Transition
from nova.virt.fake import hypervisor as fake_hypervisor
from nova.virt.fake.driver import FakeDriver
from tests.unit.virt import factories

T = Transition


def make_driver(host='compute-1'):
    drv = FakeDriver()
    drv.init_host(host)
    events = factories.EventRecorder()
    drv.register_event_listener(events)
    return drv, events


@pytest.fixture
def fake():
    return make_driver()


def spawn(drv, **overrides):
    image_meta = overrides.pop('image_meta', None) or \
        factories.make_image_meta()
    instance = factories.make_instance(**overrides)
    drv.spawn(None, instance, image_meta, [], 'pw', {}, [])
    return instance


def state(drv, instance):
    return drv.get_info(instance).state


# -- lifecycle ---------------------------------------------------------------
def test_spawn_runs_the_guest_and_reports_started(fake):
    drv, events = fake
    instance = spawn(drv)
    info = drv.get_info(instance)
    assert info == contract.InstanceInfo(power_state.RUNNING, instance.name)
    assert drv.instance_exists(instance)
    assert drv.list_instance_uuids() == [instance.uuid]
    assert events.transitions(instance.uuid) == [T.STARTED]


def test_spawn_twice_is_refused(fake):
    drv, _ = fake
    instance = spawn(drv)
    with pytest.raises(exception.InstanceExists):
        drv.spawn(None, instance, factories.make_image_meta(), [], None, {},
                  [])


def test_destroy_removes_and_is_idempotent(fake):
    drv, events = fake
    instance = spawn(drv)
    drv.destroy(None, instance, [])
    assert not drv.instance_exists(instance)
    assert events.transitions(instance.uuid) == [T.STARTED, T.STOPPED]
    drv.destroy(None, instance, [])  # already gone: fine
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(instance)


def test_destroying_a_stopped_guest_reports_nothing_more(fake):
    drv, events = fake
    instance = spawn(drv)
    drv.power_off(instance)
    drv.destroy(None, instance, [])
    assert events.transitions(instance.uuid) == [T.STARTED, T.STOPPED]


def test_rebuild_restarts_with_the_new_image(fake):
    drv, events = fake
    instance = spawn(drv)
    drv.rebuild(None, instance, factories.make_image_meta(id='image-2'), [],
                None, [])
    assert state(drv, instance) == power_state.RUNNING
    assert drv.hypervisor.get(instance.uuid).image_id == 'image-2'
    assert events.transitions(instance.uuid) == [T.STARTED, T.STOPPED,
                                                 T.STARTED]


def test_operations_on_a_missing_guest_raise_not_found(fake):
    drv, _ = fake
    ghost = factories.make_instance()
    for call in (lambda: drv.power_on(None, ghost, []),
                 lambda: drv.power_off(ghost),
                 lambda: drv.pause(ghost),
                 lambda: drv.reboot(None, ghost, [], 'HARD'),
                 lambda: drv.get_console_output(None, ghost)):
        with pytest.raises(exception.InstanceNotFound):
            call()


# -- power -------------------------------------------------------------------
def test_power_off_and_on_are_idempotent(fake):
    drv, events = fake
    instance = spawn(drv)
    drv.power_off(instance, timeout=30, retry_interval=5)
    drv.power_off(instance)
    assert state(drv, instance) == power_state.SHUTDOWN
    drv.power_on(None, instance, [])
    drv.power_on(None, instance, [])
    assert state(drv, instance) == power_state.RUNNING
    assert events.transitions(instance.uuid) == [T.STARTED, T.STOPPED,
                                                 T.STARTED]


def test_pause_unpause(fake):
    drv, events = fake
    instance = spawn(drv)
    drv.pause(instance)
    assert state(drv, instance) == power_state.PAUSED
    drv.unpause(instance)
    assert state(drv, instance) == power_state.RUNNING
    assert events.transitions(instance.uuid)[1:] == [T.PAUSED, T.RESUMED]


def test_suspend_resume_also_from_paused(fake):
    drv, events = fake
    instance = spawn(drv)
    drv.pause(instance)
    drv.suspend(None, instance)
    assert state(drv, instance) == power_state.SUSPENDED
    drv.resume(None, instance, [])
    assert state(drv, instance) == power_state.RUNNING
    assert events.transitions(instance.uuid)[1:] == [
        T.PAUSED, T.SUSPENDED, T.RESUMED]


@pytest.mark.parametrize('prepare,call,current', [
    (None, lambda d, i: d.unpause(i), 'running'),
    (None, lambda d, i: d.resume(None, i, []), 'running'),
    ('power_off', lambda d, i: d.pause(i), 'shutdown'),
    ('power_off', lambda d, i: d.suspend(None, i), 'shutdown'),
    ('power_off', lambda d, i: d.trigger_crash_dump(i), 'shutdown'),
    ('power_off', lambda d, i: d.set_admin_password(i, 'x'), 'shutdown'),
])
def test_wrong_power_state_is_refused_and_changes_nothing(
        fake, prepare, call, current):
    drv, _ = fake
    instance = spawn(drv)
    if prepare:
        getattr(drv, prepare)(instance)
    before = state(drv, instance)
    with pytest.raises(exception.InstanceInvalidState) as err:
        call(drv, instance)
    assert f'power_state {current}' in err.value.format_message()
    assert state(drv, instance) == before


@pytest.mark.parametrize('reboot_type', ['SOFT', 'HARD'])
@pytest.mark.parametrize('prepare', [None, 'power_off', 'pause'])
def test_reboot_ends_running_from_any_state(fake, reboot_type, prepare):
    drv, events = fake
    instance = spawn(drv)
    if prepare:
        getattr(drv, prepare)(instance)
    events.clear()
    drv.reboot(None, instance, [], reboot_type)
    assert state(drv, instance) == power_state.RUNNING
    assert events.transitions(instance.uuid)[-1] == T.STARTED


def test_reboot_type_is_checked(fake):
    drv, _ = fake
    with pytest.raises(exception.Invalid):
        drv.reboot(None, spawn(drv), [], 'GENTLE')


def test_crash_dump_and_admin_password_keep_the_guest_running(fake):
    drv, _ = fake
    instance = spawn(drv)
    drv.trigger_crash_dump(instance)
    drv.set_admin_password(instance, 's3cret')
    guest = drv.hypervisor.get(instance.uuid)
    assert guest.crash_dumps == 1 and guest.admin_password_set
    assert 's3cret' not in repr(guest)
    assert state(drv, instance) == power_state.RUNNING


def test_rescue_and_unrescue(fake):
    drv, events = fake
    instance = spawn(drv)
    with pytest.raises(exception.InstanceInvalidState):
        drv.unrescue(None, instance)
    drv.rescue(None, instance, [], factories.make_image_meta(), 'pw')
    assert drv.hypervisor.get(instance.uuid).rescued
    assert state(drv, instance) == power_state.RUNNING
    drv.unrescue(None, instance)
    assert not drv.hypervisor.get(instance.uuid).rescued
    assert events.transitions(instance.uuid) == [
        T.STARTED, T.STOPPED, T.STARTED, T.STOPPED, T.STARTED]
    drv.suspend(None, instance)
    with pytest.raises(exception.InstanceInvalidState):
        drv.rescue(None, instance, [], factories.make_image_meta(), 'pw')


def test_guest_stopping_by_itself_is_reported(fake):
    drv, events = fake
    instance = spawn(drv)
    drv.hypervisor.simulate_guest_stop(instance.uuid)
    assert events.wait_for(instance.uuid, T.STOPPED)
    assert state(drv, instance) == power_state.SHUTDOWN
    drv.power_on(None, instance, [])
    drv.hypervisor.simulate_guest_crash(instance.uuid)
    assert state(drv, instance) == power_state.CRASHED


# -- host resources and nodes -------------------------------------------------
def test_one_node_named_like_the_host_with_configured_inventory(flags):
    flags('fake_driver', vcpus=4, memory_mb=2048, local_gb=20,
          hypervisor_version=2005)
    drv, _ = make_driver('compute-7')
    assert drv.get_available_nodes() == ['compute-7']
    spawn(drv, flavor=factories.make_flavor(vcpus=2, memory_mb=512,
                                            root_gb=5, ephemeral_gb=1,
                                            swap=512))
    res = drv.get_available_resource('compute-7')
    assert res == {
        'vcpus': 4, 'memory_mb': 2048, 'local_gb': 20,
        'vcpus_used': 2, 'memory_mb_used': 512, 'local_gb_used': 7,
        'hypervisor_type': 'fake', 'hypervisor_version': 2005,
        'hypervisor_hostname': 'compute-7', 'cpu_info': res['cpu_info'],
        'disk_available_least': 13}
    assert json.loads(res['cpu_info'])['topology']['cores'] == 4
    with pytest.raises(exception.ComputeNodeNotFound):
        drv.get_available_resource('elsewhere')


def test_several_nodes_per_host_for_scale_tests(flags):
    flags('fake_driver', nodes=['3'])
    drv, _ = make_driver('h1')
    assert drv.get_available_nodes() == ['h1-node1', 'h1-node2', 'h1-node3']
    instance = spawn(drv, node='h1-node2')
    assert drv.get_available_resource('h1-node2')['vcpus_used'] == 1
    assert drv.get_available_resource('h1-node1')['vcpus_used'] == 0
    assert drv.hypervisor.get(instance.uuid).node == 'h1-node2'
    with pytest.raises(exception.ComputeNodeNotFound):
        spawn(drv, node='h2-node1')


def test_node_names_may_be_listed_with_the_host_in_them(flags):
    flags('fake_driver', nodes=['{host}-a', '{host}-b'])
    assert make_driver('h9')[0].get_available_nodes() == ['h9-a', 'h9-b']


def test_each_host_in_a_process_has_its_own_guests():
    drv1, _ = make_driver('host-a')
    drv2, events2 = make_driver('host-b')
    instance = spawn(drv1)
    assert drv2.list_instance_uuids() == []
    assert events2.transitions(instance.uuid) == []
    # A service restarted in the same process finds its guests again.
    again, _ = make_driver('host-a')
    assert again.list_instance_uuids() == [instance.uuid]


def test_cleanup_host_stops_events(fake):
    drv, events = fake
    drv.cleanup_host('compute-1')
    instance = spawn(drv)
    assert events.transitions(instance.uuid) == []


def test_host_uptime_looks_like_uptime(fake):
    assert ' up 0 min' in fake[0].get_host_uptime()


def test_driver_defaults_to_the_configured_host(flags):
    flags(host='configured-host')
    assert FakeDriver().get_available_nodes() == ['configured-host']
    assert fake_hypervisor.node_names('x') == ['x']


# -- consoles and snapshots ---------------------------------------------------
def test_console_output_is_deterministic_and_names_the_instance(fake):
    drv, _ = fake
    instance = spawn(drv)
    drv.reboot(None, instance, [], 'SOFT')
    output = drv.get_console_output(None, instance)
    assert instance.uuid in output.splitlines()[0]
    assert 'reboot SOFT' in output
    assert output == drv.get_console_output(None, instance)
    other, _ = make_driver('compute-2')
    twin = factories.make_instance(uuid=instance.uuid, name=instance.name)
    other.spawn(None, twin, factories.make_image_meta(), [], None, {}, [])
    other.reboot(None, twin, [], 'SOFT')
    assert other.get_console_output(None, twin) == output.replace(
        'compute-1', 'compute-2')


def test_graphical_and_serial_consoles(fake):
    drv, _ = fake
    instance = spawn(drv)
    vnc = drv.get_vnc_console(None, instance)
    serial = drv.get_serial_console(None, instance)
    assert vnc['host'] == serial['host'] == '127.0.0.1'
    assert 5900 <= vnc['port'] < 6900 and 10000 <= serial['port'] < 11000
    assert vnc == drv.get_vnc_console(None, instance)
    assert set(vnc) == {'host', 'port', 'internal_access_path'}


def test_snapshot_uploads_through_the_image_api(fake, tmp_path):
    drv, _ = fake
    instance = spawn(drv)
    api = factories.DirImageAPI(str(tmp_path))
    tasks = factories.TaskStateRecorder()
    drv.snapshot(None, instance, 'snap-1', tasks, api)
    assert api.uploads == {'snap-1': 'raw'}
    assert instance.uuid in (tmp_path / 'snap-1').read_text()
    assert tasks.calls == [
        (contract.IMAGE_PENDING_UPLOAD, None),
        (contract.IMAGE_UPLOADING, contract.IMAGE_PENDING_UPLOAD)]
    assert state(drv, instance) == power_state.RUNNING
