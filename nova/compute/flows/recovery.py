"""Start-up recovery and power-state sync.

A compute that starts finds its instances as the previous process left
them; anything caught in the middle of an operation is driven to a
defined state. The hypervisor is the truth for power states.
"""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging

from nova import exception
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states
from nova.compute import vm_states
from nova.compute.flows import common
from nova.compute.flows import delete
from nova.objects import instance as instance_obj
from nova.virt import power_state

LOG = logging.getLogger(__name__)

_T = task_states
# In-place operations: the guest is in some power state the driver knows;
# clearing the task and syncing the power state is a defined end.
_RESETTABLE = (_T.REBOOTING, _T.REBOOT_PENDING, _T.REBOOT_STARTED,
               _T.REBOOTING_HARD, _T.POWERING_OFF, _T.POWERING_ON,
               _T.PAUSING, _T.UNPAUSING, _T.SUSPENDING, _T.RESUMING,
               _T.UPDATING_PASSWORD, _T.RESCUING, _T.UNRESCUING,
               _T.SOFT_DELETING, _T.RESTORING, _T.IMAGE_SNAPSHOT_PENDING,
               _T.IMAGE_SNAPSHOT, _T.IMAGE_PENDING_UPLOAD,
               _T.IMAGE_UPLOADING, _T.IMAGE_BACKUP, _T.SHELVING)
# Operations that replace the guest or move it: what is left cannot be
# trusted, so ERROR with a fault (an admin resets or rebuilds it).
_UNRECOVERABLE = (_T.REBUILDING, _T.REBUILD_SPAWNING, _T.RESIZE_PREP,
                  _T.RESIZE_MIGRATING, _T.RESIZE_MIGRATED,
                  _T.RESIZE_FINISH, _T.RESIZE_REVERTING,
                  _T.RESIZE_CONFIRMING, _T.SHELVING_OFFLOADING,
                  _T.UNSHELVING)


def recover_host(manager: Any, context: Any) -> None:
    for instance in manager.conductor.instance_get_all_by_host(
            context, manager.host):
        try:
            _recover(manager, context, instance)
        except Exception:  # noqa: BLE001 - one bad instance must not
            # stop the service from starting
            LOG.exception('Recovery of instance %s failed',
                          instance['uuid'])


def _recover(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    uuid, task = instance['uuid'], instance['task_state']
    if task == task_states.DELETING:
        LOG.info('Finishing the delete of %s interrupted by a restart',
                 uuid)
        delete.run(manager, context, instance)
    elif task in task_states.BUILD_STATES or \
            instance['vm_state'] == vm_states.BUILDING:
        LOG.warning('Instance %s was building when nova-compute on %s '
                    'stopped; putting it in ERROR', uuid, manager.host)
        try:
            manager.driver.destroy(context, instance_obj.Instance(instance),
                                   network_info=[])
        except Exception:  # noqa: BLE001
            LOG.exception('Could not remove the partial guest of %s', uuid)
        common.set_error(manager.conductor, context, uuid, _restarted(
            manager, f'while the instance was being built ({task}).'),
            manager.host)
    elif task == task_states.MIGRATING:
        _live_migration_interrupted(manager, context, instance)
    elif task in _RESETTABLE:
        LOG.warning('Instance %s was in %s when nova-compute on %s '
                    'stopped; clearing the task', uuid, task, manager.host)
        instance = manager.conductor.instance_update(
            context, uuid, {'task_state': None})
        sync_instance(manager, context, instance)
    elif task in _UNRECOVERABLE:
        LOG.warning('Instance %s was in %s when nova-compute on %s '
                    'stopped; putting it in ERROR', uuid, task,
                    manager.host)
        common.set_error(manager.conductor, context, uuid, _restarted(
            manager, f'during {task}; reset the server\'s state or '
                     f'rebuild it.'), manager.host)
    else:
        sync_instance(manager, context, instance)


def _restarted(manager: Any, when: str) -> exception.InstanceFaultError:
    return exception.InstanceFaultError(
        message=f'nova-compute on {manager.host} restarted {when}')


def _live_migration_interrupted(manager: Any, context: Any,
                                instance: dict[str, Any]) -> None:
    """The guest is still here (a move that had finished would have put
    the instance on its destination): the migrations end in error, the
    destinations drop what they prepared, the task is cleared."""
    uuid = instance['uuid']
    LOG.warning('Instance %s was live-migrating when nova-compute on %s '
                'stopped; the migration failed', uuid, manager.host)
    rpc = compute_rpcapi.ComputeAPI()
    for migration in manager.conductor.live_migrations_interrupted(
            context, uuid, manager.host):
        if migration.get('dest_compute'):
            rpc.rollback_live_migration_at_destination(
                context, migration['dest_compute'], instance)
    common.record_fault(manager.conductor, context, uuid, _restarted(
        manager, f'during a live migration; the server stays on '
                 f'{manager.host}.'), manager.host)
    instance = manager.conductor.instance_update(
        context, uuid, {'task_state': None})
    sync_instance(manager, context, instance)


def sync_power_states(manager: Any, context: Any) -> None:
    for instance in manager.conductor.instance_get_all_by_host(
            context, manager.host):
        if instance['task_state'] is None:
            try:
                sync_instance(manager, context, instance)
            except Exception:  # noqa: BLE001
                LOG.exception('Power sync of %s failed', instance['uuid'])


def sync_instance(manager: Any, context: Any,
                  instance: dict[str, Any]) -> None:
    """Align the recorded power state (and vm_state) with the guest."""
    try:
        power = manager.driver.get_info(
            instance_obj.Instance(instance)).state
    except exception.InstanceNotFound:
        power = power_state.NOSTATE
    values: dict[str, Any] = {}
    if power != instance['power_state']:
        values['power_state'] = power
    if instance['vm_state'] == vm_states.ACTIVE and power in (
            power_state.SHUTDOWN, power_state.CRASHED, power_state.NOSTATE):
        # Stopped behind our back: show SHUTOFF rather than pretend.
        values['vm_state'] = vm_states.STOPPED
    if values:
        LOG.info('Instance %s power state %s -> %s', instance['uuid'],
                 instance['power_state'], power)
        manager.conductor.instance_update(
            context, instance['uuid'], values, expected_task_state=None,
            check_task_state=True)


def reclaim_soft_deleted(manager: Any, context: Any) -> None:
    from oslo_utils import timeutils

    from nova import conf as nova_conf
    interval = nova_conf.CONF.compute.reclaim_instance_interval
    if interval <= 0:
        return
    for instance in manager.conductor.instance_get_all_by_host(
            context, manager.host):
        if instance['vm_state'] != vm_states.SOFT_DELETED or \
                instance['task_state'] is not None:
            continue
        since = instance.get('updated_at')
        if isinstance(since, str):
            since = timeutils.parse_isotime(since)
        if since and not timeutils.is_older_than(
                timeutils.normalize_time(since), interval):
            continue
        LOG.info('Reclaiming soft-deleted instance %s', instance['uuid'])
        try:
            manager.conductor.instance_update(
                context, instance['uuid'],
                {'task_state': task_states.DELETING},
                expected_task_state=None, check_task_state=True)
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError):
            continue  # restored or force-deleted meanwhile
        delete.run(manager, context, instance)
