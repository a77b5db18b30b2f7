"""Build and run an instance on this host.

task_state moves scheduling -> networking -> spawning -> None and
vm_state building -> active. A driver failure releases what this host
took (guest, addresses, resource claim) and asks conductor to try
another host; failures no other host can fix end in ERROR with a fault.
"""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging
from oslo_utils import timeutils

from nova import exception
from nova.compute import task_states
from nova.compute import vm_states
from nova.compute.flows import common
from nova.objects import instance as instance_obj

LOG = logging.getLogger(__name__)
EVENT = 'compute_build_and_run_instance'

# Errors that another host would hit the same way: no reschedule.
_ABORT = (exception.BuildAbortException, exception.NoMoreFixedIps,
          exception.FixedIpAlreadyInUse, exception.ImageNotFound,
          exception.ImageUnacceptable, exception.FlavorDiskTooSmall)


def run(manager: Any, context: Any, instance: dict[str, Any],
        selection: dict[str, Any], build_args: dict[str, Any]) -> None:
    uuid = instance['uuid']
    conductor = manager.conductor
    try:
        with common.action_event(conductor, context, uuid, EVENT,
                                 manager.host):
            _build(manager, context, instance, selection, build_args)
    except (exception.InstanceNotFound,
            exception.UnexpectedTaskStateError) as exc:
        LOG.info('Instance %s was deleted during its build (%s); '
                 'cleaning up', uuid, exc)
        _cleanup(manager, context, instance_obj.Instance(instance))
    except _ABORT as exc:
        LOG.warning('Build of %s aborted: %s', uuid, exc)
        _cleanup(manager, context, instance_obj.Instance(instance))
        common.set_error(conductor, context, uuid, exc, manager.host)
    except Exception as exc:  # noqa: BLE001 - any driver error reschedules
        LOG.warning('Build of %s failed on %s: %s; rescheduling', uuid,
                    manager.host, exc)
        _cleanup(manager, context, instance_obj.Instance(instance))
        common.record_fault(conductor, context, uuid, exc, manager.host)
        conductor.release_resources(context, uuid)
        manager.compute_task.reschedule(
            context, uuid, manager.host, selection['nodename'],
            f'{type(exc).__name__}: {exc}', build_args)


def _build(manager: Any, context: Any, instance: dict[str, Any],
           selection: dict[str, Any], build_args: dict[str, Any]) -> None:
    conductor = manager.conductor
    uuid = instance['uuid']
    conductor.instance_update(
        context, uuid, {'task_state': task_states.NETWORKING},
        expected_task_state=task_states.SCHEDULING, check_task_state=True)
    network_info = conductor.network_allocate(
        context, uuid, build_args.get('requested_networks'))
    updated = conductor.instance_update(
        context, uuid, {'task_state': task_states.SPAWNING},
        expected_task_state=task_states.NETWORKING, check_task_state=True)
    guest = instance_obj.Instance(updated)
    manager.driver.spawn(context, guest, build_args['image'],
                         injected_files=[],
                         admin_password=build_args.get('admin_password'),
                         allocations=selection.get('allocations') or {},
                         network_info=network_info)
    power = manager.driver.get_info(guest).state
    conductor.instance_update(
        context, uuid, {'vm_state': vm_states.ACTIVE, 'task_state': None,
                        'power_state': power,
                        'launched_at': timeutils.utcnow()},
        expected_task_state=task_states.SPAWNING, check_task_state=True)
    LOG.info('Instance %s is active on %s', uuid, manager.host)


def _cleanup(manager: Any, context: Any,
             guest: instance_obj.Instance) -> None:
    """Best effort: a failed cleanup must not hide the build error."""
    try:
        manager.driver.destroy(context, guest, network_info=[])
    except Exception:  # noqa: BLE001
        LOG.exception('Could not destroy the guest of %s', guest.uuid)
    try:
        manager.conductor.network_deallocate(context, guest.uuid)
    except Exception:  # noqa: BLE001
        LOG.exception('Could not release the addresses of %s', guest.uuid)
