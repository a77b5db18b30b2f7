"""What nova-compute records through conductor (the database proxy)."""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging

from nova import exception
from nova.compute import cleanup
from nova.db import engine
from nova.db.api import allocations as allocations_db
from nova.db.api import compute_nodes as compute_nodes_db
from nova.db.api import instance_actions as actions_db
from nova.db.api import instance_faults as faults_db
from nova.db.api import instances as instances_db
from nova.db.api import services as services_db

LOG = logging.getLogger(__name__)

_NODE_COLUMNS = (
    'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
    'local_gb_used', 'hypervisor_type', 'hypervisor_version', 'cpu_info',
    'disk_available_least', 'host_ip', 'running_vms', 'free_ram_mb',
    'free_disk_gb', 'current_workload', 'cpu_allocation_ratio',
    'ram_allocation_ratio', 'disk_allocation_ratio',
)


def instance_update(context: Any, instance_uuid: str,
                    values: dict[str, Any], expected_task_state: Any,
                    check_task_state: bool) -> dict[str, Any]:
    values = datetimes_from_rpc(values)
    kwargs = {}
    if check_task_state:
        kwargs['expected_task_state'] = expected_task_state
    return instances_db.instance_update(context, instance_uuid, values,
                                        **kwargs)


_DATETIME_FIELDS = ('launched_at', 'terminated_at', 'scheduled_at')


def datetimes_from_rpc(values: dict[str, Any]) -> dict[str, Any]:
    """Datetimes arrive over RPC as ISO strings."""
    from oslo_utils import timeutils
    values = dict(values)
    for key in _DATETIME_FIELDS:
        if isinstance(values.get(key), str):
            values[key] = timeutils.normalize_time(
                timeutils.parse_isotime(values[key]))
    return values


def instance_destroy(context: Any, instance_uuid: str) -> None:
    cleanup.destroy_instance(context, instance_uuid)


def fault_create(context: Any, instance_uuid: str, code: int,
                 message: str, details: str, host: str) -> None:
    faults_db.instance_fault_create(context, {
        'instance_uuid': instance_uuid, 'code': code,
        'message': message[:255], 'details': details, 'host': host})


def event_start(context: Any, instance_uuid: str, event: str,
                host: str) -> None:
    try:
        actions_db.action_event_start(context, instance_uuid,
                                      context.request_id, event, host=host)
    except exception.NotFound:
        # Periodic tasks and recovery act without an API request.
        LOG.debug('No action for request %s on %s; event %s not recorded',
                  context.request_id, instance_uuid, event)


def event_finish(context: Any, instance_uuid: str, event: str,
                 result: str, traceback: str | None) -> None:
    try:
        actions_db.action_event_finish(context, instance_uuid,
                                       context.request_id, event, result,
                                       traceback=traceback)
    except exception.NotFound:
        LOG.debug('No action event %s for request %s on %s', event,
                  context.request_id, instance_uuid)


@engine.writer
def compute_node_report(context: Any, host: str, nodename: str,
                        resources: dict[str, Any]) -> dict[str, Any]:
    """Create or update the node and replace its inventory."""
    service = services_db.service_get_by_compute_host(context, host)
    values = {key: resources[key] for key in _NODE_COLUMNS
              if key in resources}
    try:
        node = compute_nodes_db.compute_node_get_by_host_and_nodename(
            context, host, nodename)
        node = compute_nodes_db.compute_node_update(context, node['id'],
                                                    values)
    except exception.NotFound:
        node = compute_nodes_db.compute_node_create(context, dict(
            values, host=host, hypervisor_hostname=nodename,
            service_id=service['id']))
    compute_nodes_db.inventories_set(context, node['id'],
                                     _inventories(resources))
    return node


def _inventories(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        'VCPU': {'total': int(resources['vcpus']),
                 'reserved': int(resources.get('reserved_host_cpus', 0)),
                 'allocation_ratio': resources['cpu_allocation_ratio']},
        'MEMORY_MB': {
            'total': int(resources['memory_mb']),
            'reserved': int(resources.get('reserved_host_memory_mb', 0)),
            'allocation_ratio': resources['ram_allocation_ratio']},
        'DISK_GB': {
            'total': int(resources['local_gb']),
            'reserved': -(-int(resources.get('reserved_host_disk_mb', 0))
                          // 1024),
            'allocation_ratio': resources['disk_allocation_ratio']},
    }


def release_resources(context: Any, instance_uuid: str) -> None:
    allocations_db.release_resources(context, instance_uuid)


@engine.writer
def instance_offloaded(context: Any, instance_uuid: str,
                       expected_task_state: Any) -> dict[str, Any]:
    """Shelved and gone from its host: no host, no allocation, the
    addresses and quota kept for the unshelve."""
    from nova.compute import vm_states
    from nova.virt import power_state
    kwargs = {}
    if expected_task_state is not None:
        kwargs['expected_task_state'] = expected_task_state
    instance = instances_db.instance_update(
        context, instance_uuid,
        {'vm_state': vm_states.SHELVED_OFFLOADED, 'task_state': None,
         'power_state': power_state.NOSTATE, 'host': None, 'node': None},
        **kwargs)
    allocations_db.release_resources(context, instance_uuid)
    return instance
