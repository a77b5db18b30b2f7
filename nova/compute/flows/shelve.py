"""Shelve, offload and unshelve on the computes.

shelve:   stop the guest, snapshot it into the image the API created,
          SHELVED; offloaded at once when ``[compute]
          shelved_offload_time`` is 0.
offload:  remove the guest and give back the host's resources; the
          server keeps its addresses and quota (SHELVED_OFFLOADED).
unshelve: spawn from the shelved image on the host conductor chose, then
          delete that image (ACTIVE).
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import task_states as ts
from nova.compute import vm_states as vm
from nova.compute.flows import common
from nova.objects import instance as instance_obj

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
SHELVED_IMAGE = 'shelved_image_id'
SHELVED_AT = 'shelved_at'
SHELVED_HOST = 'shelved_host'


def shelve(manager: Any, context: Any, instance: dict[str, Any],
           image_id: str, clean_shutdown: bool) -> None:
    uuid = instance['uuid']
    conductor = manager.conductor
    guest = instance_obj.Instance(instance)
    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_shelve_instance', manager.host):
            timeout = CONF.compute.shutdown_timeout if clean_shutdown else 0
            manager.driver.power_off(guest, timeout,
                                     CONF.compute.shutdown_retry_interval)

            def update_task_state(task_state: str,
                                  expected_state: str | None = None) -> None:
                conductor.instance_update(
                    context, uuid, {'task_state': task_state},
                    expected_task_state=expected_state or ts.SHELVING,
                    check_task_state=True)
            manager.driver.snapshot(context, guest, image_id,
                                    update_task_state,
                                    manager.driver.image_api)
            meta = dict(instance.get('system_metadata') or {})
            meta.update({SHELVED_IMAGE: image_id,
                         SHELVED_AT: timeutils.utcnow().isoformat(),
                         SHELVED_HOST: manager.host})
            # Offloading at once goes straight on, never idle in between.
            offload_now = CONF.compute.shelved_offload_time == 0
            instance = conductor.instance_update(
                context, uuid, {'vm_state': vm.SHELVED,
                                'task_state': ts.SHELVING_OFFLOADING
                                if offload_now else None,
                                'power_state': common.power_of(manager, guest),
                                'system_metadata': meta},
                expected_task_state=ts.IMAGE_UPLOADING,
                check_task_state=True)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            LOG.info('Shelve of %s overtaken: %s', uuid, exc)
            return
        LOG.warning('Shelve of %s failed: %s', uuid, exc)
        _discard(manager, context, image_id)
        _back_to(manager, context, guest, exc)
        return
    if offload_now:
        offload(manager, context, instance)


def offload(manager: Any, context: Any, instance: dict[str, Any],
            claim: bool = False) -> None:
    """Offload; ``claim``: set the task first (periodic offloads)."""
    uuid = instance['uuid']
    conductor = manager.conductor
    try:
        if claim:
            conductor.instance_update(
                context, uuid, {'task_state': ts.SHELVING_OFFLOADING},
                expected_task_state=None, check_task_state=True)
        with common.action_event(conductor, context, uuid,
                                 'compute_shelve_offload_instance',
                                 manager.host):
            manager.driver.destroy(context, instance_obj.Instance(instance),
                                   conductor.network_info(context, uuid))
            conductor.instance_offloaded(context, uuid,
                                         ts.SHELVING_OFFLOADING)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            LOG.info('Offload of %s overtaken: %s', uuid, exc)
            return
        LOG.warning('Offload of %s failed: %s', uuid, exc)
        conductor.instance_update(context, uuid, {'task_state': None},
                                  expected_task_state=None,
                                  check_task_state=False)
        common.record_fault(conductor, context, uuid, exc, manager.host)


def unshelve(manager: Any, context: Any, instance: dict[str, Any],
             image: dict[str, Any] | None,
             selection: dict[str, Any]) -> None:
    """Spawn here (conductor claimed this node) from the shelved image."""
    uuid = instance['uuid']
    conductor = manager.conductor
    guest = instance_obj.Instance(instance)
    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_unshelve_instance', manager.host):
            conductor.instance_update(
                context, uuid, {'task_state': ts.SPAWNING},
                expected_task_state=ts.UNSHELVING, check_task_state=True)
            network_info = conductor.network_info(context, uuid)
            if instance['vm_state'] == vm.SHELVED and \
                    manager.driver.instance_exists(guest):
                # Never offloaded: the stopped guest is still here.
                manager.driver.power_on(context, guest, network_info)
            else:
                manager.driver.spawn(
                    context, guest, image or {'id': instance['image_ref']},
                    injected_files=[], admin_password=None,
                    allocations=selection.get('allocations') or {},
                    network_info=network_info)
            meta = {k: v for k, v in
                    (instance.get('system_metadata') or {}).items()
                    if k not in (SHELVED_IMAGE, SHELVED_AT, SHELVED_HOST)}
            conductor.instance_update(
                context, uuid, {'vm_state': vm.ACTIVE, 'task_state': None,
                                'power_state': common.power_of(manager, guest),
                                'system_metadata': meta},
                expected_task_state=ts.SPAWNING, check_task_state=True)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            LOG.info('Unshelve of %s overtaken: %s', uuid, exc)
            return
        LOG.warning('Unshelve of %s failed on %s: %s', uuid, manager.host,
                    exc)
        try:
            manager.driver.destroy(context, guest, network_info=[])
        except Exception:  # noqa: BLE001
            LOG.exception('Could not remove the partial guest of %s', uuid)
        # Back to offloaded: the shelved image is still there to retry.
        conductor.instance_offloaded(context, uuid, None)
        common.record_fault(conductor, context, uuid, exc, manager.host)
        return
    if image:
        _discard(manager, context, image['id'])


def poll_shelved(manager: Any, context: Any) -> None:
    """Offload what stayed SHELVED longer than shelved_offload_time."""
    wait = CONF.compute.shelved_offload_time
    if wait <= 0:
        return
    for instance in manager.conductor.instance_get_all_by_host(
            context, manager.host):
        if instance['vm_state'] != vm.SHELVED or instance['task_state']:
            continue
        shelved_at = (instance.get('system_metadata') or {}).get(SHELVED_AT)
        if shelved_at and not timeutils.is_older_than(
                timeutils.normalize_time(
                    timeutils.parse_isotime(shelved_at)), wait):
            continue
        offload(manager, context, instance, claim=True)


def _discard(manager: Any, context: Any, image_id: str) -> None:
    try:
        manager.driver.image_api.delete(context, image_id)
    except Exception:  # noqa: BLE001 - a leftover image is harmless
        LOG.warning('Could not delete image %s', image_id)


def _back_to(manager: Any, context: Any, guest: instance_obj.Instance,
             exc: BaseException) -> None:
    """A failed shelve: the server as it was (restarted if it ran)."""
    conductor = manager.conductor
    state = guest.get('vm_state')
    try:
        if state == vm.ACTIVE:
            manager.driver.power_on(context, guest, [])
        conductor.instance_update(context, guest.uuid, {
            'task_state': None,
            'power_state': common.power_of(manager, guest)},
            expected_task_state=None, check_task_state=False)
    except Exception:  # noqa: BLE001 - the fault says what failed
        LOG.exception('Could not restore %s after a failed shelve',
                      guest.uuid)
    common.record_fault(conductor, context, guest.uuid, exc, manager.host)
