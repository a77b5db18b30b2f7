"""Build orchestration: schedule, record the host, cast to the compute;
reschedule after a failed build; time out builds nobody finishes.
"""

from __future__ import annotations

import traceback
from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import timeutils

from nova import exception
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states
from nova.compute import vm_states
from nova.conductor.tasks import records
from nova.db.api import allocations as allocations_db
from nova.db.api import instance_faults as faults_db
from nova.db.api import instances as instances_db
from nova.db.api import request_specs as request_specs_db
from nova.scheduler import rpcapi as scheduler_rpcapi

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

EVENT_SCHEDULE = 'conductor_schedule_and_build_instances'
EVENT_RESCHEDULE = 'conductor_reschedule'


def schedule_and_build(context: Any, instance_uuids: list[str],
                       request_spec: dict[str, Any],
                       build_args: dict[str, Any]) -> None:
    _events(context, instance_uuids, EVENT_SCHEDULE, start=True)
    try:
        selections = scheduler_rpcapi.SchedulerAPI().select_destinations(
            context, request_spec, instance_uuids)
    except Exception as exc:  # noqa: BLE001 - every failure ends in ERROR
        _fail_all(context, instance_uuids, exc, EVENT_SCHEDULE)
        return
    _events(context, instance_uuids, EVENT_SCHEDULE, result='Success')
    for uuid, choices in zip(instance_uuids, selections, strict=True):
        _send_to_compute(context, uuid, choices[0], build_args)


def reschedule(context: Any, instance_uuid: str, failed_host: str,
               failed_node: str, reason: str,
               build_args: dict[str, Any]) -> None:
    """Try another host after a failed build, up to max_attempts."""
    _event(context, instance_uuid, EVENT_RESCHEDULE, start=True)
    # Feeds the BuildFailureWeigher: hosts that keep failing sink.
    scheduler_rpcapi.SchedulerAPI().note_build_failure(context, failed_host)
    spec = request_specs_db.request_spec_get_by_instance_uuid(
        context, instance_uuid)['spec']
    retry = spec.setdefault('retry', {'num_attempts': 1, 'hosts': []})
    retry['hosts'].append([failed_host, failed_node])
    retry['num_attempts'] += 1
    spec['instance_uuid'] = instance_uuid
    spec['num_instances'] = 1
    request_specs_db.request_spec_update(context, instance_uuid, spec)
    if retry['num_attempts'] > CONF.scheduler.max_attempts:
        message = (f'Exceeded maximum number of retries. Exhausted all '
                   f'hosts available for retrying build failures for '
                   f'instance {instance_uuid}. Last error: {reason}')
        _fail(context, instance_uuid,
              exception.MaxRetriesExceeded(reason=message),
              EVENT_RESCHEDULE)
        return
    try:
        instances_db.instance_update(
            context, instance_uuid,
            {'host': None, 'node': None,
             'task_state': task_states.SCHEDULING},
            expected_task_state=[task_states.SPAWNING,
                                 task_states.NETWORKING,
                                 task_states.SCHEDULING])
        selections = scheduler_rpcapi.SchedulerAPI().select_destinations(
            context, spec, [instance_uuid])
    except exception.InstanceNotFound:
        LOG.info('Instance %s was deleted while rescheduling',
                 instance_uuid)
        return
    except Exception as exc:  # noqa: BLE001
        _fail(context, instance_uuid, exc, EVENT_RESCHEDULE)
        return
    _event(context, instance_uuid, EVENT_RESCHEDULE, result='Success')
    _send_to_compute(context, instance_uuid, selections[0][0], build_args)


def _send_to_compute(context: Any, instance_uuid: str,
                     selection: dict[str, Any],
                     build_args: dict[str, Any]) -> None:
    try:
        instance = instances_db.instance_update(
            context, instance_uuid,
            {'host': selection['host'], 'node': selection['nodename'],
             'launched_on': selection['host'],
             'scheduled_at': timeutils.utcnow()},
            expected_task_state=task_states.SCHEDULING)
    except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
        # Deleted (or being deleted) while we scheduled it: give back the
        # claim the scheduler made for it.
        LOG.info('Instance %s went away while being scheduled',
                 instance_uuid)
        allocations_db.release_resources(context, instance_uuid)
        return
    compute_rpcapi.ComputeAPI().build_and_run_instance(
        context, selection['host'], instance, selection, build_args)


def fail_stale_builds(context: Any, now: Any = None) -> None:
    """Instances in BUILD for longer than instance_build_timeout end in
    ERROR, e.g. because their compute died and never came back."""
    timeout = CONF.compute.instance_build_timeout
    if not timeout:
        return
    cutoff = (now or timeutils.utcnow()) - timeutils.datetime.timedelta(
        seconds=timeout)
    stale = [i for i in instances_db.instance_get_all_by_filters(
        context, {'vm_state': vm_states.BUILDING})
        if i['created_at'] and timeutils.normalize_time(
            _as_datetime(i['created_at'])) < cutoff]
    for instance in stale:
        reason = (f'Build of instance {instance["uuid"]} did not finish '
                  f'within instance_build_timeout ({timeout} s); host '
                  f'{instance.get("host") or "(none)"}.')
        try:
            instances_db.instance_update(
                context, instance['uuid'],
                {'vm_state': vm_states.ERROR, 'task_state': None},
                expected_vm_state=vm_states.BUILDING)
        except (exception.InstanceNotFound,
                exception.UnexpectedVMStateError):
            continue
        _record_fault(context, instance['uuid'],
                      exception.InstanceBuildTimeout(reason=reason),
                      host=instance.get('host'))
        LOG.warning(reason)


def _fail_all(context: Any, instance_uuids: list[str], exc: Exception,
              event: str) -> None:
    for uuid in instance_uuids:
        _fail(context, uuid, exc, event)


def _fail(context: Any, instance_uuid: str, exc: Exception,
          event: str) -> None:
    LOG.warning('Build of instance %s failed: %s', instance_uuid, exc)
    try:
        instances_db.instance_update(
            context, instance_uuid,
            {'vm_state': vm_states.ERROR, 'task_state': None})
    except exception.InstanceNotFound:
        return
    allocations_db.release_resources(context, instance_uuid)
    _record_fault(context, instance_uuid, exc)
    _event(context, instance_uuid, event, result='Error',
           tb=traceback.format_exc())


def _record_fault(context: Any, instance_uuid: str, exc: Exception,
                  host: str | None = None) -> None:
    if isinstance(exc, messaging.MessagingTimeout):
        exc = exception.ServiceUnavailable(
            reason='the scheduler did not answer in time')
    code = getattr(exc, 'code', 500)
    message = (exc.format_message() if isinstance(
        exc, exception.NovaException) else str(exc)) or type(exc).__name__
    faults_db.instance_fault_create(context, {
        'instance_uuid': instance_uuid, 'code': code,
        'message': message[:255], 'details': message,
        'host': host or CONF.host})


def _events(context: Any, uuids: list[str], event: str,
            start: bool = False, result: str | None = None) -> None:
    for uuid in uuids:
        _event(context, uuid, event, start=start, result=result)


def _event(context: Any, uuid: str, event: str, start: bool = False,
           result: str | None = None, tb: str | None = None) -> None:
    if start:
        records.event_start(context, uuid, event, CONF.host)
    else:
        records.event_finish(context, uuid, event, result, tb)


def _as_datetime(value: Any) -> Any:
    if isinstance(value, str):
        return timeutils.parse_isotime(value)
    return value
