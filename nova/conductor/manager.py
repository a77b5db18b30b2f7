"""nova-conductor's RPC endpoints.

``ConductorManager`` is the database proxy for nova-compute (which holds
no database credentials); ``ComputeTaskManager`` (namespace
``compute_task``) orchestrates builds. Both are thin: the work is in
``nova/conductor/tasks/``.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging

from nova import context as nova_context
from nova import exception
from nova import manager
from nova import servicegroup
from nova.conductor.tasks import build
from nova.conductor.tasks import evacuate
from nova.conductor.tasks import migrate
from nova.conductor.tasks import move_records
from nova.conductor.tasks import records
from nova.conductor.tasks import unshelve
from nova.db.api import instances as instances_db
from nova.network import api as network_api

Context = nova_context.RequestContext
_MOVE_STEPS = ('finish_started', 'finish_done', 'confirmed', 'reverted',
               'revert_done', 'moved')


class ConductorManager(manager.Manager):
    target = messaging.Target(version='1.3')

    def __init__(self, host: str | None = None) -> None:
        super().__init__(host=host, service_name='conductor')
        self._reporter = servicegroup.DatabaseReporter()
        self.additional_endpoints = [ComputeTaskManager()]

    def service_register(self, context: Context, host: str, binary: str,
                         topic: str, version: int) -> dict[str, Any]:
        return self._reporter.join(context, host, binary, topic)

    def service_heartbeat(self, context: Context, host: str,
                          binary: str) -> dict[str, Any]:
        return self._reporter.report(context, host, binary)

    def instance_get(self, context: Context,
                     instance_uuid: str) -> dict[str, Any]:
        return instances_db.instance_get_by_uuid(context, instance_uuid)

    def instance_get_all_by_host(self, context: Context,
                                 host: str) -> list[dict[str, Any]]:
        return instances_db.instance_get_all_by_host(context, host)

    def instance_update(self, context: Context, instance_uuid: str,
                        values: dict[str, Any], expected_task_state: Any,
                        check_task_state: bool) -> dict[str, Any]:
        return records.instance_update(context, instance_uuid, values,
                                       expected_task_state,
                                       check_task_state)

    def instance_destroy(self, context: Context,
                         instance_uuid: str) -> None:
        records.instance_destroy(context, instance_uuid)

    def instance_fault_create(self, context: Context, instance_uuid: str,
                              code: int, message: str, details: str,
                              host: str) -> None:
        records.fault_create(context, instance_uuid, code, message,
                             details, host)

    def action_event_start(self, context: Context, instance_uuid: str,
                           event: str, host: str) -> None:
        records.event_start(context, instance_uuid, event, host)

    def action_event_finish(self, context: Context, instance_uuid: str,
                            event: str, result: str,
                            traceback: str | None) -> None:
        records.event_finish(context, instance_uuid, event, result,
                             traceback)

    def compute_node_report(self, context: Context, host: str,
                            nodename: str,
                            resources: dict[str, Any]) -> dict[str, Any]:
        return records.compute_node_report(context, host, nodename,
                                           resources)

    def network_allocate(self, context: Context, instance_uuid: str,
                         requested_networks: Any) -> list[dict[str, Any]]:
        return network_api.allocate_for_instance(context, instance_uuid,
                                                 requested_networks)

    def network_info(self, context: Context,
                     instance_uuid: str) -> list[dict[str, Any]]:
        return network_api.get_network_info(context, instance_uuid)

    def network_deallocate(self, context: Context,
                           instance_uuid: str) -> None:
        network_api.deallocate_for_instance(context, instance_uuid)

    def release_resources(self, context: Context,
                          instance_uuid: str) -> None:
        records.release_resources(context, instance_uuid)

    # -- 1.1: resize and cold migration steps ---------------------------------
    def migration_update(self, context: Context, migration_id: int,
                         values: dict[str, Any]) -> dict[str, Any]:
        return move_records.migration_update(context, migration_id, values)

    def move_step(self, context: Context, step: str, instance_uuid: str,
                  migration_id: int,
                  kwargs: dict[str, Any]) -> dict[str, Any] | None:
        if step not in _MOVE_STEPS:
            raise exception.Invalid(reason=f'unknown move step {step}')
        return getattr(move_records, step)(context, instance_uuid,
                                           migration_id, **kwargs)

    def instance_offloaded(self, context: Context, instance_uuid: str,
                           expected_task_state: str | None
                           ) -> dict[str, Any]:
        return records.instance_offloaded(context, instance_uuid,
                                          expected_task_state)

    def move_failed(self, context: Context, instance_uuid: str,
                    migration_id: int, values: dict[str, Any], code: int,
                    message: str, details: str, host: str) -> None:
        if move_records.aborted(context, instance_uuid, migration_id,
                                values) is not None:
            records.fault_create(context, instance_uuid, code, message,
                                 details, host)

    def live_migration_cancelled(self, context: Context, instance_uuid: str,
                                 migration_id: int) -> None:
        move_records.aborted(context, instance_uuid, migration_id, {},
                             status='cancelled')

    def live_migrations_interrupted(self, context: Context,
                                    instance_uuid: str,
                                    host: str) -> list[dict[str, Any]]:
        return move_records.live_interrupted(context, instance_uuid, host)

    # -- 1.3: a compute back after its instances were evacuated ---------------
    def evacuations_left_on(self, context: Context,
                            host: str) -> list[dict[str, Any]]:
        return evacuate.left_on(context, host)

    @manager.periodic_task.periodic_task(spacing=60)
    def _confirm_stale_resizes(self, context: Context) -> None:
        migrate.confirm_stale_resizes(context)

    @manager.periodic_task.periodic_task(spacing=60)
    def _check_build_timeouts(self, context: Context) -> None:
        build.fail_stale_builds(context)


class ComputeTaskManager:
    """Build orchestration (namespace ``compute_task``)."""

    target = messaging.Target(namespace='compute_task', version='1.1')

    def schedule_and_build_instances(self, context: Context,
                                     instance_uuids: list[str],
                                     request_spec: dict[str, Any],
                                     build_args: dict[str, Any]) -> None:
        build.schedule_and_build(context, instance_uuids, request_spec,
                                 build_args)

    def reschedule(self, context: Context, instance_uuid: str,
                   failed_host: str, failed_node: str, reason: str,
                   build_args: dict[str, Any]) -> None:
        build.reschedule(context, instance_uuid, failed_host, failed_node,
                         reason, build_args)

    def migrate_server(self, context: Context, instance_uuid: str,
                       migration_id: int, flavor: dict[str, Any],
                       host: str | None, allow_same_host: bool) -> None:
        migrate.migrate_server(context, instance_uuid, migration_id,
                               flavor, host, allow_same_host)

    def unshelve_instance(self, context: Context, instance_uuid: str,
                          zone: str | None, host: str | None,
                          unpin_zone: bool) -> None:
        unshelve.unshelve_instance(context, instance_uuid, zone, host,
                                   unpin_zone)

    def evacuate_server(self, context: Context, instance_uuid: str,
                        migration_id: int, host: str | None,
                        admin_password: str | None, stopped: bool) -> None:
        evacuate.evacuate(context, instance_uuid, migration_id, host,
                          admin_password, stopped)

    def live_migrate_instance(self, context: Context, instance_uuid: str,
                              migration_id: int, host: str | None,
                              block_migration: Any) -> None:
        evacuate.live_migrate(context, instance_uuid, migration_id, host,
                              block_migration)
