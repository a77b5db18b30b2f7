"""nova-compute's RPC endpoints, one service per node.

Methods are thin: they hand over to ``nova/compute/flows/``. This process
never opens the database: every record goes through nova-conductor.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from nova import context as nova_context
from nova import exception
from nova import manager
from nova.compute import live_migrations
from nova.compute import resource_tracker
from nova.compute.flows import build
from nova.compute.flows import delete
from nova.compute.flows import evacuated
from nova.compute.flows import guest_ops
from nova.compute.flows import live_migration
from nova.compute.flows import rebuild
from nova.compute.flows import recovery
from nova.compute.flows import resize
from nova.compute.flows import shelve
from nova.compute.flows import snapshot
from nova.conductor import rpcapi as conductor_rpcapi
from nova.image import glance as image_client
from nova.objects import instance as instance_obj
from nova.virt import driver as virt_driver

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
Context = nova_context.RequestContext


class ComputeManager(manager.Manager):
    target = messaging.Target(version='1.2')

    def __init__(self, host: str | None = None) -> None:
        super().__init__(host=host, service_name='compute')
        # Images come over HTTP (Glance v2: a real Glance or our image
        # endpoint), never from the database this process must not open.
        self.driver = virt_driver.load_compute_driver(
            image_api=image_client.get_client())
        self.conductor = conductor_rpcapi.ConductorAPI()
        self.compute_task = conductor_rpcapi.ComputeTaskAPI()
        self.tracker = resource_tracker.ResourceTracker(
            self.host, self.driver, self.conductor)
        self.live_migrations = live_migrations.LiveMigrations(
            CONF.max_concurrent_live_migrations)

    # -- service lifecycle ---------------------------------------------------
    def init_host(self) -> None:
        self.driver.init_host(self.host)

    def pre_start_hook(self) -> None:
        # The service record exists now (nodes refer to it).
        context = nova_context.get_admin_context()
        # Before serving, and before the first report counts it: a server
        # evacuated while this host was down must not run here too.
        evacuated.remove_evacuated_guests(self, context)
        self.tracker.update_available_resource(context)
        recovery.recover_host(self, context)
        self.driver.register_event_listener(self._on_lifecycle_event)

    def cleanup_host(self) -> None:
        self.driver.register_event_listener(None)
        self.driver.cleanup_host(self.host)

    # -- RPC: instance operations --------------------------------------------
    def build_and_run_instance(self, context: Context,
                               instance: dict[str, Any],
                               selection: dict[str, Any],
                               build_args: dict[str, Any]) -> None:
        build.run(self, context, instance, selection, build_args)

    def terminate_instance(self, context: Context,
                           instance: dict[str, Any]) -> None:
        delete.run(self, context, instance)

    def get_host_uptime(self, context: Context) -> str:
        return self.driver.get_host_uptime()

    # -- RPC: guest operations (API set the task_state; 1.1) -----------------
    def reboot_instance(self, context: Context, instance: dict[str, Any],
                        reboot_type: str) -> None:
        guest_ops.reboot(self, context, instance, reboot_type)

    def stop_instance(self, context: Context, instance: dict[str, Any],
                      clean_shutdown: bool = True) -> None:
        guest_ops.stop(self, context, instance, clean_shutdown)

    def start_instance(self, context: Context,
                       instance: dict[str, Any]) -> None:
        guest_ops.start(self, context, instance)

    def pause_instance(self, context: Context,
                       instance: dict[str, Any]) -> None:
        guest_ops.pause(self, context, instance)

    def unpause_instance(self, context: Context,
                         instance: dict[str, Any]) -> None:
        guest_ops.unpause(self, context, instance)

    def suspend_instance(self, context: Context,
                         instance: dict[str, Any]) -> None:
        guest_ops.suspend(self, context, instance)

    def resume_instance(self, context: Context,
                        instance: dict[str, Any]) -> None:
        guest_ops.resume(self, context, instance)

    def trigger_crash_dump(self, context: Context,
                           instance: dict[str, Any]) -> None:
        guest_ops.trigger_crash_dump(self, context, instance)

    def set_admin_password(self, context: Context, instance: dict[str, Any],
                           new_pass: str) -> None:
        guest_ops.set_admin_password(self, context, instance, new_pass)

    def rescue_instance(self, context: Context, instance: dict[str, Any],
                        image_meta: dict[str, Any],
                        rescue_password: str | None) -> None:
        guest_ops.rescue(self, context, instance, image_meta,
                         rescue_password)

    def unrescue_instance(self, context: Context,
                          instance: dict[str, Any]) -> None:
        guest_ops.unrescue(self, context, instance)

    def soft_delete_instance(self, context: Context,
                             instance: dict[str, Any]) -> None:
        guest_ops.soft_delete(self, context, instance)

    def restore_instance(self, context: Context,
                         instance: dict[str, Any]) -> None:
        guest_ops.restore(self, context, instance)

    def rebuild_instance(self, context: Context, instance: dict[str, Any],
                         image: dict[str, Any], admin_password: str | None,
                         stopped: bool, evacuate: bool,
                         migration_id: int | None = None,
                         preserve_ephemeral: bool = False) -> None:
        rebuild.run(self, context, instance, image, admin_password,
                    evacuate=evacuate, stopped=stopped,
                    migration_id=migration_id,
                    preserve_ephemeral=preserve_ephemeral)

    def snapshot_instance(self, context: Context, instance: dict[str, Any],
                          image_id: str,
                          backup: dict[str, Any] | None) -> None:
        snapshot.run(self, context, instance, image_id, backup)

    def shelve_instance(self, context: Context, instance: dict[str, Any],
                        image_id: str, clean_shutdown: bool = True) -> None:
        shelve.shelve(self, context, instance, image_id, clean_shutdown)

    def shelve_offload_instance(self, context: Context,
                                instance: dict[str, Any]) -> None:
        shelve.offload(self, context, instance)

    def unshelve_instance(self, context: Context, instance: dict[str, Any],
                          image: dict[str, Any] | None,
                          selection: dict[str, Any]) -> None:
        shelve.unshelve(self, context, instance, image, selection)

    # -- RPC: live migration (1.1) -------------------------------------------
    def live_migration(self, context: Context, instance: dict[str, Any],
                       migration: dict[str, Any],
                       block_migration: Any) -> None:
        live_migration.run(self, context, instance, migration,
                           block_migration)

    def check_and_prepare_live_migration(self, context: Context,
                                         instance: dict[str, Any],
                                         block_migration: Any
                                         ) -> dict[str, Any]:
        return live_migration.check_and_prepare(self, context, instance,
                                                block_migration)

    def post_live_migration_at_destination(self, context: Context,
                                           instance: dict[str, Any]
                                           ) -> None:
        live_migration.post_at_destination(self, context, instance)

    def rollback_live_migration_at_destination(self, context: Context,
                                               instance: dict[str, Any]
                                               ) -> None:
        live_migration.rollback_at_destination(self, context, instance)

    # -- RPC: live migration control (1.2) -----------------------------------
    def live_migration_abort(self, context: Context,
                             instance: dict[str, Any],
                             migration_id: int) -> None:
        live_migration.abort(self, context, instance, migration_id)

    def live_migration_force_complete(self, context: Context,
                                      instance: dict[str, Any],
                                      migration_id: int) -> None:
        live_migration.force_complete(self, context, instance, migration_id)

    # -- RPC: resize and cold migration (1.1) --------------------------------
    def resize_instance(self, context: Context, instance: dict[str, Any],
                        migration: dict[str, Any],
                        flavor: dict[str, Any]) -> None:
        resize.resize_instance(self, context, instance, migration, flavor)

    def finish_resize(self, context: Context, instance: dict[str, Any],
                      migration: dict[str, Any], disk_info: str) -> None:
        resize.finish_resize(self, context, instance, migration, disk_info)

    def confirm_resize(self, context: Context, instance: dict[str, Any],
                       migration: dict[str, Any]) -> None:
        resize.confirm_resize(self, context, instance, migration)

    def revert_resize(self, context: Context, instance: dict[str, Any],
                      migration: dict[str, Any]) -> None:
        resize.revert_resize(self, context, instance, migration)

    def finish_revert_resize(self, context: Context,
                             instance: dict[str, Any],
                             migration: dict[str, Any]) -> None:
        resize.finish_revert_resize(self, context, instance, migration)

    def get_console(self, context: Context, instance: dict[str, Any],
                    protocol: str) -> dict[str, Any]:
        guest = instance_obj.Instance(instance)
        if protocol == 'serial':
            return self.driver.get_serial_console(context, guest)
        return self.driver.get_vnc_console(context, guest)

    def get_console_output(self, context: Context, instance: dict[str, Any],
                           tail_length: int | None) -> str:
        output = self.driver.get_console_output(
            context, instance_obj.Instance(instance))
        if tail_length is not None:
            lines = output.splitlines()
            output = '\n'.join(lines[-tail_length:] if tail_length else [])
        return output

    # -- periodic tasks ------------------------------------------------------
    @manager.periodic_task.periodic_task(
        spacing=CONF.compute.resource_provider_update_interval)
    def update_available_resource(self, context: Context) -> None:
        self.tracker.update_available_resource(context)

    @manager.periodic_task.periodic_task(
        spacing=CONF.compute.sync_power_state_interval,
        run_immediately=False)
    def _sync_power_states(self, context: Context) -> None:
        if CONF.compute.sync_power_state_interval < 0:
            return
        recovery.sync_power_states(self, context)

    @manager.periodic_task.periodic_task(spacing=60)
    def _reclaim_queued_deletes(self, context: Context) -> None:
        """Delete for good what stayed SOFT_DELETED past the interval."""
        recovery.reclaim_soft_deleted(self, context)

    @manager.periodic_task.periodic_task(spacing=60)
    def _poll_shelved_instances(self, context: Context) -> None:
        shelve.poll_shelved(self, context)

    # -- hypervisor events ---------------------------------------------------
    def _on_lifecycle_event(self, event: Any) -> None:
        context = nova_context.get_admin_context()
        try:
            instance = self.conductor.instance_get(context,
                                                   event.instance_uuid)
        except exception.InstanceNotFound:
            return
        if instance.get('host') != self.host or instance['task_state']:
            return  # an operation in progress will record the outcome
        try:
            recovery.sync_instance(self, context, instance)
        except Exception:  # noqa: BLE001 - events must not kill the loop
            LOG.exception('Handling %s for %s failed', event,
                          event.instance_uuid)
