"""The driver contract: unsupported operations, capabilities, the loader."""

import inspect
import pathlib
import textwrap

import pytest
from stevedore.extension import ExtensionManager

from nova import exception
from nova.virt import contract
from nova.virt import driver
from nova.virt.event import LifecycleEvent
from nova.virt.event import Transition
from nova.virt.fake.driver import FakeDriver
from nova.virt.libvirt.driver import LibvirtDriver
from tests.unit.virt import factories


class MinimalDriver(driver.ComputeDriver):
    """Only the required methods: everything optional is unsupported."""

    name = 'minimal'

    def init_host(self, host):
        pass

    def get_available_nodes(self, refresh=False):
        return ['n1']

    def get_available_resource(self, nodename):
        return {}

    def list_instance_uuids(self):
        return []

    def spawn(self, context, instance, image_meta, injected_files,
              admin_password, allocations, network_info,
              block_device_info=None):
        pass

    def destroy(self, context, instance, network_info,
                block_device_info=None, destroy_disks=True):
        pass

    def get_info(self, instance):
        raise exception.InstanceNotFound(instance_id=instance.uuid)

    def reboot(self, context, instance, network_info, reboot_type,
               block_device_info=None):
        pass

    def power_off(self, instance, timeout=0, retry_interval=0):
        pass

    def power_on(self, context, instance, network_info,
                 block_device_info=None):
        pass


OPTIONAL = [op for ops in driver.CAPABILITY_OPERATIONS.values()
            for op in ops]


def _call(drv, operation):
    method = getattr(drv, operation)
    params = [p for p in inspect.signature(method).parameters.values()
              if p.default is inspect.Parameter.empty]
    return method(*[None] * len(params))


@pytest.mark.parametrize('operation', OPTIONAL)
def test_unsupported_operation_raises_one_clear_409(operation):
    drv = MinimalDriver()
    assert not drv.supports(operation)
    with pytest.raises(exception.DriverOperationNotSupported) as err:
        _call(drv, operation)
    assert isinstance(err.value, exception.NotSupported)
    assert err.value.code == 409
    assert err.value.format_message() == (
        f'{operation} is not supported by the minimal virt driver.')


def test_required_operations_are_abstract():
    class Incomplete(driver.ComputeDriver):
        pass
    with pytest.raises(TypeError, match='spawn'):
        Incomplete()


def test_required_operations_are_always_supported():
    drv = MinimalDriver()
    assert drv.supports('spawn') and drv.supports('power_off')


def test_instance_exists_defaults_to_get_info():
    assert not MinimalDriver().instance_exists(factories.make_instance())


@pytest.mark.parametrize('driver_class', [FakeDriver, LibvirtDriver])
def test_capabilities_match_what_is_implemented(driver_class):
    assert set(driver_class.capabilities) == set(
        driver.CAPABILITY_OPERATIONS)
    for capability, operations in driver.CAPABILITY_OPERATIONS.items():
        for operation in operations:
            implemented = (getattr(driver_class, operation)
                           is not getattr(driver.ComputeDriver, operation))
            assert implemented == driver_class.capabilities[capability], (
                driver_class.name, capability, operation)


def test_listener_gets_events_and_its_errors_are_contained():
    drv = MinimalDriver()
    drv.emit_event(LifecycleEvent('u', Transition.STARTED))  # no listener
    seen = []
    drv.register_event_listener(seen.append)
    event = LifecycleEvent('u', Transition.STOPPED)
    drv.emit_event(event)
    assert seen == [event]

    def broken(event):
        raise RuntimeError('listener bug')
    drv.register_event_listener(broken)
    drv.emit_event(event)  # logged, not raised
    drv.register_event_listener(None)
    drv.emit_event(event)
    assert seen == [event]


def test_contract_helpers_read_objects_and_dicts():
    instance = factories.make_instance(flavor=factories.make_flavor(
        name='m1.big'))
    assert contract.flavor_field(instance, 'name') == 'm1.big'
    assert contract.field({'dest_node': 'n'}, 'dest_node') == 'n'
    assert contract.field(instance, 'missing', 'dflt') == 'dflt'
    meta = factories.make_image_meta(properties={'hw_disk_bus': 'ide',
                                                 'os_type': ''})
    assert contract.image_property(meta, 'hw_disk_bus') == 'ide'
    assert contract.image_property(meta, 'os_type', 'linux') == 'linux'
    assert contract.image_property(None, 'x', 1) == 1


# -- loader -----------------------------------------------------------------
def test_installed_drivers_are_listed():
    assert {'fake', 'libvirt'} <= set(driver.available_driver_names())


def test_loads_driver_named_by_compute_driver(flags):
    flags(compute_driver='fake')
    api = factories.DirImageAPI('/nonexistent-not-used')
    drv = driver.load_compute_driver(image_api=api)
    assert isinstance(drv, FakeDriver)
    assert drv.image_api is api


def test_loads_libvirt_driver_without_connecting(flags):
    flags('libvirt', connection_uri='test:///default')
    assert isinstance(driver.load_compute_driver('libvirt'), LibvirtDriver)


def test_unknown_driver_fails_listing_available_names():
    with pytest.raises(exception.ComputeDriverNotFound) as err:
        driver.load_compute_driver('hyperv')
    message = err.value.format_message()
    assert 'hyperv' in message
    assert 'fake, libvirt' in message
    assert driver.NAMESPACE in message


def _install_entry_point(tmp_path: pathlib.Path, monkeypatch, name, target):
    dist = tmp_path / 'broken_driver-1.0.dist-info'
    dist.mkdir()
    (dist / 'METADATA').write_text(
        'Metadata-Version: 2.1\nName: broken-driver\nVersion: 1.0\n')
    (dist / 'entry_points.txt').write_text(textwrap.dedent(f"""\
        [{driver.NAMESPACE}]
        {name} = {target}
        """))
    monkeypatch.syspath_prepend(str(tmp_path))
    # stevedore caches entry points per process; start from a clean slate.
    monkeypatch.setattr(ExtensionManager, 'ENTRY_POINT_CACHE', {})


def test_driver_that_cannot_be_imported_fails_clearly(tmp_path, monkeypatch):
    _install_entry_point(tmp_path, monkeypatch, 'broken',
                         'no_such_module_here:Driver')
    assert 'broken' in driver.available_driver_names()
    with pytest.raises(exception.ComputeDriverLoadFailed) as err:
        driver.load_compute_driver('broken')
    assert 'broken' in err.value.format_message()
    assert 'no_such_module_here' in err.value.format_message()


def test_entry_point_that_is_not_a_driver_is_refused(tmp_path, monkeypatch):
    _install_entry_point(tmp_path, monkeypatch, 'notadriver',
                         'collections:OrderedDict')
    with pytest.raises(exception.ComputeDriverLoadFailed,
                       match='not a ComputeDriver'):
        driver.load_compute_driver('notadriver')
