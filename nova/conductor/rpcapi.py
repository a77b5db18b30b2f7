"""Client side of the conductor RPC API.

Two endpoints share the ``conductor`` topic:

* ``ConductorAPI`` (no namespace), version 1.0: the database proxy that
  nova-compute uses for everything it records (service heartbeats,
  instance updates, faults, action events, node inventories, fixed IPs,
  resource claims). 1.1: the steps of a resize or cold migration
  (``move_*``, ``migration_update``) and ``instance_offloaded``. 1.2:
  ``live_migration_cancelled``, ``live_migrations_interrupted``. 1.3:
  ``evacuations_left_on``.
* ``ComputeTaskAPI`` (namespace ``compute_task``), version 1.0: build
  orchestration (schedule then build, reschedule on failure). 1.1:
  ``migrate_server`` (resize and cold migration), ``unshelve_instance``,
  ``evacuate_server``, ``live_migrate_instance``.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging

from nova import context as nova_context
from nova import rpc

TOPIC = 'conductor'
RPC_API_VERSION = '1.3'
TASK_NAMESPACE = 'compute_task'
TASK_API_VERSION = '1.1'

# Release name -> version, so operators may pin by release.
VERSION_ALIASES: dict[str, str] = {}

Context = nova_context.RequestContext


def _client(namespace: str | None, version: str) -> messaging.RPCClient:
    target = messaging.Target(topic=TOPIC, namespace=namespace,
                              version=version)
    return rpc.get_client(target, version_cap=rpc.version_cap(
        'conductor', VERSION_ALIASES))


class ConductorAPI:
    """The database proxy for nova-compute."""

    def __init__(self) -> None:
        self.client = _client(None, RPC_API_VERSION)

    def _call(self, context: Context, method: str, **kwargs: Any) -> Any:
        return self.client.prepare(version='1.0').call(context, method,
                                                       **kwargs)

    def service_register(self, context: Context, host: str, binary: str,
                         topic: str, version: int) -> dict[str, Any]:
        return self._call(context, 'service_register', host=host,
                          binary=binary, topic=topic, version=version)

    def service_heartbeat(self, context: Context, host: str,
                          binary: str) -> dict[str, Any]:
        return self._call(context, 'service_heartbeat', host=host,
                          binary=binary)

    def instance_get(self, context: Context,
                     instance_uuid: str) -> dict[str, Any]:
        return self._call(context, 'instance_get',
                          instance_uuid=instance_uuid)

    def instance_get_all_by_host(self, context: Context,
                                 host: str) -> list[dict[str, Any]]:
        return self._call(context, 'instance_get_all_by_host', host=host)

    def instance_update(self, context: Context, instance_uuid: str,
                        values: dict[str, Any],
                        expected_task_state: Any = None,
                        check_task_state: bool = False) -> dict[str, Any]:
        """``check_task_state`` makes the write conditional on
        ``expected_task_state`` (a value or list; None means no task)."""
        return self._call(context, 'instance_update',
                          instance_uuid=instance_uuid, values=values,
                          expected_task_state=expected_task_state,
                          check_task_state=check_task_state)

    def instance_destroy(self, context: Context,
                         instance_uuid: str) -> None:
        return self._call(context, 'instance_destroy',
                          instance_uuid=instance_uuid)

    def instance_fault_create(self, context: Context, instance_uuid: str,
                              code: int, message: str, details: str,
                              host: str) -> None:
        return self._call(context, 'instance_fault_create',
                          instance_uuid=instance_uuid, code=code,
                          message=message, details=details, host=host)

    def action_event_start(self, context: Context, instance_uuid: str,
                           event: str, host: str) -> None:
        return self._call(context, 'action_event_start',
                          instance_uuid=instance_uuid, event=event,
                          host=host)

    def action_event_finish(self, context: Context, instance_uuid: str,
                            event: str, result: str,
                            traceback: str | None = None) -> None:
        return self._call(context, 'action_event_finish',
                          instance_uuid=instance_uuid, event=event,
                          result=result, traceback=traceback)

    def compute_node_report(self, context: Context, host: str,
                            nodename: str,
                            resources: dict[str, Any]) -> dict[str, Any]:
        return self._call(context, 'compute_node_report', host=host,
                          nodename=nodename, resources=resources)

    def network_allocate(self, context: Context, instance_uuid: str,
                         requested_networks: Any) -> list[dict[str, Any]]:
        return self._call(context, 'network_allocate',
                          instance_uuid=instance_uuid,
                          requested_networks=requested_networks)

    def network_info(self, context: Context,
                     instance_uuid: str) -> list[dict[str, Any]]:
        return self._call(context, 'network_info',
                          instance_uuid=instance_uuid)

    def network_deallocate(self, context: Context,
                           instance_uuid: str) -> None:
        return self._call(context, 'network_deallocate',
                          instance_uuid=instance_uuid)

    def release_resources(self, context: Context,
                          instance_uuid: str) -> None:
        return self._call(context, 'release_resources',
                          instance_uuid=instance_uuid)

    # -- 1.1: resize and cold migration steps ---------------------------------
    def _call11(self, context: Context, method: str, **kwargs: Any) -> Any:
        return self.client.prepare(version='1.1').call(context, method,
                                                       **kwargs)

    def migration_update(self, context: Context, migration_id: int,
                         values: dict[str, Any]) -> dict[str, Any]:
        return self._call11(context, 'migration_update',
                            migration_id=migration_id, values=values)

    def move_step(self, context: Context, step: str, instance_uuid: str,
                  migration_id: int, **kwargs: Any) -> dict[str, Any]:
        """One recorded step of a move (see conductor/tasks/
        move_records.py): finish_started, finish_done, confirmed,
        reverted, revert_done."""
        return self._call11(context, 'move_step', step=step,
                            instance_uuid=instance_uuid,
                            migration_id=migration_id, kwargs=kwargs)

    def instance_offloaded(self, context: Context, instance_uuid: str,
                           expected_task_state: str | None
                           ) -> dict[str, Any]:
        return self._call11(context, 'instance_offloaded',
                            instance_uuid=instance_uuid,
                            expected_task_state=expected_task_state)

    def move_failed(self, context: Context, instance_uuid: str,
                    migration_id: int, values: dict[str, Any],
                    code: int, message: str, details: str,
                    host: str) -> None:
        self._call11(context, 'move_failed', instance_uuid=instance_uuid,
                     migration_id=migration_id, values=values, code=code,
                     message=message, details=details, host=host)


    # -- 1.2: live migrations cancelled or cut short --------------------------
    def live_migration_cancelled(self, context: Context, instance_uuid: str,
                                 migration_id: int) -> None:
        self.client.prepare(version='1.2').call(
            context, 'live_migration_cancelled',
            instance_uuid=instance_uuid, migration_id=migration_id)

    def live_migrations_interrupted(self, context: Context,
                                    instance_uuid: str,
                                    host: str) -> list[dict[str, Any]]:
        """Fail the instance's live migrations out of ``host`` that its
        restart cut short; the migrations (their destinations need a
        clean-up)."""
        return self.client.prepare(version='1.2').call(
            context, 'live_migrations_interrupted',
            instance_uuid=instance_uuid, host=host)

    # -- 1.3: a compute back after its instances were evacuated ---------------
    def can_list_evacuations(self) -> bool:
        """Whether conductor (per [upgrade_levels]) knows 1.3."""
        return self.client.can_send_version('1.3')

    def evacuations_left_on(self, context: Context,
                            host: str) -> list[dict[str, Any]]:
        """Evacuations out of ``host`` whose copy there it has not removed
        yet, each with its ``instance`` (maybe deleted, or None)."""
        return self.client.prepare(version='1.3').call(
            context, 'evacuations_left_on', host=host)


class ComputeTaskAPI:
    """Build orchestration, called by the API and by computes."""

    def __init__(self) -> None:
        self.client = _client(TASK_NAMESPACE, TASK_API_VERSION)

    def schedule_and_build_instances(self, context: Context,
                                     instance_uuids: list[str],
                                     request_spec: dict[str, Any],
                                     build_args: dict[str, Any]) -> None:
        self.client.prepare(version='1.0').cast(
            context, 'schedule_and_build_instances',
            instance_uuids=instance_uuids, request_spec=request_spec,
            build_args=build_args)

    def reschedule(self, context: Context, instance_uuid: str,
                   failed_host: str, failed_node: str, reason: str,
                   build_args: dict[str, Any]) -> None:
        self.client.prepare(version='1.0').cast(
            context, 'reschedule', instance_uuid=instance_uuid,
            failed_host=failed_host, failed_node=failed_node,
            reason=reason, build_args=build_args)

    def migrate_server(self, context: Context, instance_uuid: str,
                       migration_id: int, flavor: dict[str, Any],
                       host: str | None, allow_same_host: bool) -> None:
        self.client.prepare(version='1.1').cast(
            context, 'migrate_server', instance_uuid=instance_uuid,
            migration_id=migration_id, flavor=flavor, host=host,
            allow_same_host=allow_same_host)

    def unshelve_instance(self, context: Context, instance_uuid: str,
                          zone: str | None, host: str | None,
                          unpin_zone: bool) -> None:
        self.client.prepare(version='1.1').cast(
            context, 'unshelve_instance', instance_uuid=instance_uuid,
            zone=zone, host=host, unpin_zone=unpin_zone)

    def evacuate_server(self, context: Context, instance_uuid: str,
                        migration_id: int, host: str | None,
                        admin_password: str | None, stopped: bool) -> None:
        self.client.prepare(version='1.1').cast(
            context, 'evacuate_server', instance_uuid=instance_uuid,
            migration_id=migration_id, host=host,
            admin_password=admin_password, stopped=stopped)

    def live_migrate_instance(self, context: Context, instance_uuid: str,
                              migration_id: int, host: str | None,
                              block_migration: Any) -> None:
        self.client.prepare(version='1.1').cast(
            context, 'live_migrate_instance', instance_uuid=instance_uuid,
            migration_id=migration_id, host=host,
            block_migration=block_migration)
