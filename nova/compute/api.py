"""The API side of servers: reads scoped to the caller, state checks,
records, and the RPC that starts work on the right service.

A member never sees another project's servers: lookups are scoped to the
caller's project unless the caller is an admin, and a miss is a 404.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

from nova import exception
from nova import servicegroup
from nova.compute import create as create_flow
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import task_states
from nova.compute import vm_states
from nova.compute.actions import deferred
from nova.db.api import instance_actions as actions_db
from nova.db.api import instance_faults as faults_db
from nova.db.api import instances as instances_db
from nova.db.api import services as services_db
from nova.db.api import tags as tags_db
from nova.network import api as network_api

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


class API:
    """Operations on servers; controllers call nothing below this."""

    def create(self, context: Any, request: dict[str, Any]
               ) -> tuple[list[dict[str, Any]], str]:
        return create_flow.create(context, request)

    def get(self, context: Any, instance_uuid: str,
            read_deleted: str = 'no') -> dict[str, Any]:
        ctx = context.elevated(read_deleted=read_deleted) \
            if context.is_admin else _with_read_deleted(context,
                                                        read_deleted)
        instance = instances_db.instance_get_by_uuid(ctx, instance_uuid)
        if not context.is_admin and \
                instance['project_id'] != context.project_id:
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        return instance

    def get_all(self, context: Any, filters: dict[str, Any],
                sort_keys: list[str], sort_dirs: list[str],
                limit: int | None, marker: str | None,
                all_projects: bool = False) -> list[dict[str, Any]]:
        filters = dict(filters)
        if not (context.is_admin and all_projects):
            filters['project_id'] = context.project_id
        return instances_db.instance_get_all_by_filters(
            context, filters, sort_keys=sort_keys, sort_dirs=sort_dirs,
            limit=limit, marker=marker)

    def update(self, context: Any, instance: dict[str, Any],
               values: dict[str, Any]) -> dict[str, Any]:
        return instances_db.instance_update(context, instance['uuid'],
                                            values)

    def delete(self, context: Any, instance: dict[str, Any],
               force: bool = False) -> None:
        """Delete through the compute, or locally if none can do it.

        With ``[compute] reclaim_instance_interval`` set, a delete only
        stops the guest (SOFT_DELETED, restorable) unless ``force``.
        """
        _check_not_locked(context, instance, 'delete')
        if not force and CONF.compute.reclaim_instance_interval > 0 and \
                instance.get('host') and \
                instance['vm_state'] != vm_states.SOFT_DELETED and \
                _compute_up(context, instance['host']):
            deferred.soft_delete(context, instance)
            return
        uuid = instance['uuid']
        actions_db.action_start(context, {
            'action': 'delete', 'instance_uuid': uuid,
            'request_id': context.request_id, 'user_id': context.user_id,
            'project_id': context.project_id})
        host = instance.get('host')
        if not host or not _compute_up(context, host):
            LOG.info('Deleting instance %s locally (host %s)', uuid,
                     host or 'none')
            create_flow.local_delete(context, uuid)
            return
        if instance['task_state'] == task_states.DELETING:
            return  # already on its way; deleting twice is harmless
        try:
            updated = instances_db.instance_update(
                context, uuid, {'task_state': task_states.DELETING},
                expected_task_state=_DELETABLE_TASK_STATES)
        except exception.UnexpectedTaskStateError:
            # Mid-build (scheduling/networking/spawning): the build sees
            # the instance gone and cleans up its guest itself.
            create_flow.local_delete(context, uuid)
            return
        compute_rpcapi.ComputeAPI().terminate_instance(context, host,
                                                       updated)

    def faults(self, context: Any,
               instance_uuids: list[str]) -> dict[str, dict[str, Any]]:
        found = faults_db.instance_fault_get_by_instance_uuids(
            context, instance_uuids, latest=True)
        return {uuid: faults[0] for uuid, faults in found.items() if faults}

    def addresses(self, context: Any, instance_uuids: list[str]
                  ) -> dict[str, dict[str, list[dict[str, Any]]]]:
        return network_api.addresses(context, instance_uuids)

    def tags(self, context: Any,
             instance_uuids: list[str]) -> dict[str, list[str]]:
        return tags_db.instance_tags_get_by_instance_uuids(context,
                                                           instance_uuids)

    def host_status(self, context: Any, host: str | None) -> str:
        if not host:
            return ''
        try:
            service = services_db.service_get_by_compute_host(context, host)
        except exception.ComputeHostNotFound:
            return 'UNKNOWN'
        if service.get('forced_down') or not servicegroup.is_up(service):
            return 'DOWN' if service.get('forced_down') else 'UNKNOWN'
        return 'MAINTENANCE' if service.get('disabled') else 'UP'


_DELETABLE_TASK_STATES = [None, task_states.REBOOTING, task_states.RESTORING,
                          task_states.SOFT_DELETING,
                          task_states.REBOOTING_HARD,
                          task_states.POWERING_OFF,
                          task_states.POWERING_ON]


def _with_read_deleted(context: Any, read_deleted: str) -> Any:
    if context.read_deleted == read_deleted:
        return context
    import copy
    ctx = copy.copy(context)
    ctx.read_deleted = read_deleted
    return ctx


def _compute_up(context: Any, host: str) -> bool:
    try:
        service = services_db.service_get_by_compute_host(context, host)
    except exception.ComputeHostNotFound:
        return False
    return servicegroup.is_up(service)


def _check_not_locked(context: Any, instance: dict[str, Any],
                      action: str) -> None:
    if instance.get('locked') and not context.is_admin:
        raise exception.InstanceLocked(instance_uuid=instance['uuid'])


def is_error(instance: dict[str, Any]) -> bool:
    return instance['vm_state'] == vm_states.ERROR
