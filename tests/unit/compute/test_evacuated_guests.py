"""The start-up step of a compute whose instances were evacuated while it
was down: a real fake driver holding the old guests, a recording
conductor in place of RPC."""

from __future__ import annotations

import itertools
import types
from collections.abc import Iterator
from typing import Any

import pytest
from oslo_utils import uuidutils

from nova import exception
from nova.compute.flows import evacuated
from nova.objects import instance as instance_obj
from nova.virt.fake import driver as fake_driver
from nova.virt.fake import hypervisor as fake_hypervisor
from tests.fixtures.conf import prepare_conf

HERE, THERE = 'compute1', 'compute2'
_ids = itertools.count(1)


class Conductor:
    """What the flow asks conductor, answered from memory."""

    def __init__(self, evacuations: list[dict[str, Any]],
                 knows_1_3: bool = True) -> None:
        self.evacuations = evacuations
        self.knows_1_3 = knows_1_3
        self.updates: dict[int, dict[str, Any]] = {}

    def can_list_evacuations(self) -> bool:
        return self.knows_1_3

    def evacuations_left_on(self, context: Any,
                            host: str) -> list[dict[str, Any]]:
        assert host == HERE
        return self.evacuations

    def network_info(self, context: Any,
                     instance_uuid: str) -> list[dict[str, Any]]:
        return [{'id': 'vif-1', 'address': 'fa:16:3e:00:00:01',
                 'network': {'id': 'net-1', 'label': 'private'}}]

    def migration_update(self, context: Any, migration_id: int,
                         values: dict[str, Any]) -> dict[str, Any]:
        self.updates[migration_id] = values
        return values


class Driver(fake_driver.FakeDriver):
    """The fake driver, whose destroy fails for chosen instances."""

    def __init__(self) -> None:
        super().__init__()
        self.failing: set[str] = set()
        self.destroyed: list[tuple[str, list[Any], bool]] = []

    def destroy(self, context: Any, instance: Any, network_info: Any,
                block_device_info: Any = None,
                destroy_disks: bool = True) -> None:
        if instance.uuid in self.failing:
            raise exception.VirtDriverError(
                operation='destroy', instance_uuid=instance.uuid,
                reason='hypervisor said no')
        self.destroyed.append((instance.uuid, network_info, destroy_disks))
        super().destroy(context, instance, network_info, block_device_info,
                        destroy_disks)


@pytest.fixture(autouse=True)
def fresh_hypervisors() -> Iterator[None]:
    prepare_conf()
    fake_hypervisor.reset()
    yield
    fake_hypervisor.reset()


@pytest.fixture
def driver() -> Driver:
    loaded = Driver()
    loaded.init_host(HERE)
    return loaded


def _instance(host: str = THERE, deleted: bool = False) -> dict[str, Any]:
    n = next(_ids)
    return {'id': n, 'uuid': uuidutils.generate_uuid(), 'host': host,
            'node': host, 'deleted': n if deleted else 0,
            'display_name': f'server-{n}', 'hostname': f'server-{n}',
            'vcpus': 1, 'memory_mb': 512, 'root_gb': 1, 'ephemeral_gb': 0,
            'swap': 0, 'image_ref': 'image-1', 'project_id': 'p',
            'user_id': 'u', 'metadata': {}, 'user_data': None,
            'key_data': None}


def _evacuation(instance: dict[str, Any] | None, status: str = 'done',
                uuid: str | None = None) -> dict[str, Any]:
    return {'id': next(_ids), 'status': status,
            'instance_uuid': uuid or instance['uuid'],
            'source_compute': HERE, 'dest_compute': THERE,
            'migration_type': 'evacuation', 'instance': instance}


def _guest_here(driver: Driver, instance: dict[str, Any]) -> None:
    driver.hypervisor.create(instance_obj.Instance(instance), 'image-1',
                             HERE)


def _start(driver: Driver, conductor: Conductor) -> None:
    manager = types.SimpleNamespace(host=HERE, driver=driver,
                                    conductor=conductor)
    evacuated.remove_evacuated_guests(manager, context=None)


def test_the_guest_of_a_finished_evacuation_is_destroyed(driver):
    instance = _instance()
    _guest_here(driver, instance)
    migration = _evacuation(instance)
    conductor = Conductor([migration])
    _start(driver, conductor)
    assert driver.list_instance_uuids() == []
    [(uuid, network_info, destroy_disks)] = driver.destroyed
    assert uuid == instance['uuid'] and destroy_disks
    assert network_info[0]['id'] == 'vif-1'
    assert conductor.updates == {migration['id']: {'status': 'completed'}}


def test_no_guest_left_still_completes_the_evacuation(driver):
    migration = _evacuation(_instance())
    conductor = Conductor([migration])
    _start(driver, conductor)
    assert driver.destroyed == []
    assert conductor.updates == {migration['id']: {'status': 'completed'}}


def test_a_guest_whose_instance_is_still_here_is_never_touched(driver):
    # Conductor accepted the evacuation but has not moved the instance.
    instance = _instance(host=HERE)
    _guest_here(driver, instance)
    conductor = Conductor([_evacuation(instance, status='accepted')])
    _start(driver, conductor)
    assert driver.list_instance_uuids() == [instance['uuid']]
    assert driver.destroyed == [] and conductor.updates == {}


def test_an_evacuation_in_progress_keeps_its_status(driver):
    # The destination is rebuilding: the copy here goes, but the
    # destination's outcome ('done' or 'error') is still to be written.
    instance = _instance()
    _guest_here(driver, instance)
    conductor = Conductor([_evacuation(instance, status='migrating')])
    _start(driver, conductor)
    assert driver.list_instance_uuids() == []
    assert conductor.updates == {}


def test_a_deleted_instance_loses_its_guest_and_its_evacuation_ends(driver):
    instance = _instance(deleted=True)
    _guest_here(driver, instance)
    migration = _evacuation(instance)
    conductor = Conductor([migration])
    _start(driver, conductor)
    # Its VIFs are gone with it.
    assert driver.destroyed == [(instance['uuid'], [], True)]
    assert conductor.updates == {migration['id']: {'status': 'completed'}}


def test_a_guest_without_any_record_is_left_for_an_operator(driver):
    orphan = _instance()
    _guest_here(driver, orphan)
    migration = _evacuation(None, uuid=orphan['uuid'])
    conductor = Conductor([migration])
    _start(driver, conductor)
    assert driver.list_instance_uuids() == [orphan['uuid']]
    assert conductor.updates == {migration['id']: {'status': 'completed'}}


def test_one_failure_spares_the_others_and_is_retried_next_start(driver):
    stuck, fine = _instance(), _instance()
    for instance in (stuck, fine):
        _guest_here(driver, instance)
    driver.failing.add(stuck['uuid'])
    first, second = _evacuation(stuck), _evacuation(fine)
    conductor = Conductor([first, second])
    _start(driver, conductor)
    assert driver.list_instance_uuids() == [stuck['uuid']]
    # Not completed: the next start finds it again.
    assert conductor.updates == {second['id']: {'status': 'completed'}}


def test_a_conductor_pinned_below_1_3_is_not_asked(driver):
    instance = _instance()
    _guest_here(driver, instance)
    conductor = Conductor([_evacuation(instance)], knows_1_3=False)
    _start(driver, conductor)
    assert driver.list_instance_uuids() == [instance['uuid']]
    assert conductor.updates == {}


def test_an_unreachable_conductor_does_not_stop_the_start(driver):
    class Down(Conductor):
        def evacuations_left_on(self, context, host):
            raise exception.ServiceUnavailable(reason='no conductor')
    _start(driver, Down([]))
