"""Client side of the compute RPC API; one server per host.

Version 1.0: build_and_run_instance, terminate_instance, get_host_uptime.
Version 1.1: guest operations (reboot, stop, start, pause, unpause,
suspend, resume, trigger_crash_dump, rescue, unrescue,
set_admin_password, soft_delete_instance, restore_instance: casts;
get_console_output, get_console: calls); snapshot_instance; shelve_instance,
shelve_offload_instance, unshelve_instance; live migration
(live_migration, check_and_prepare_live_migration: a call,
post_/rollback_live_migration_at_destination); rebuild_instance (also
evacuate); resize and cold migration steps (resize_instance,
finish_resize, confirm_resize, revert_resize, finish_revert_resize).
Version 1.2: live_migration_abort, live_migration_force_complete (casts
to the source host of a running live migration); rebuild_instance takes
preserve_ephemeral.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging

from nova import context as nova_context
from nova import rpc

TOPIC = 'compute'
RPC_API_VERSION = '1.2'
VERSION_ALIASES: dict[str, str] = {}


class ComputeAPI:
    def __init__(self) -> None:
        target = messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
        self.client = rpc.get_client(target, version_cap=rpc.version_cap(
            'compute', VERSION_ALIASES))

    def build_and_run_instance(self, context: nova_context.RequestContext,
                               host: str, instance: dict[str, Any],
                               selection: dict[str, Any],
                               build_args: dict[str, Any]) -> None:
        cctxt = self.client.prepare(server=host, version='1.0')
        cctxt.cast(context, 'build_and_run_instance', instance=instance,
                   selection=selection, build_args=build_args)

    def terminate_instance(self, context: nova_context.RequestContext,
                           host: str, instance: dict[str, Any]) -> None:
        cctxt = self.client.prepare(server=host, version='1.0')
        cctxt.cast(context, 'terminate_instance', instance=instance)

    def get_host_uptime(self, context: nova_context.RequestContext,
                        host: str, timeout: float | None = None) -> str:
        cctxt = self.client.prepare(server=host, version='1.0',
                                    timeout=timeout)
        return cctxt.call(context, 'get_host_uptime')

    # -- 1.1 guest operations -------------------------------------------------
    def _cast(self, context: nova_context.RequestContext,
              instance: dict[str, Any], method: str, **kwargs: Any) -> None:
        cctxt = self.client.prepare(server=instance['host'], version='1.1')
        cctxt.cast(context, method, instance=instance, **kwargs)

    def reboot_instance(self, context: nova_context.RequestContext,
                        instance: dict[str, Any], reboot_type: str) -> None:
        self._cast(context, instance, 'reboot_instance',
                   reboot_type=reboot_type)

    def stop_instance(self, context: nova_context.RequestContext,
                      instance: dict[str, Any],
                      clean_shutdown: bool = True) -> None:
        self._cast(context, instance, 'stop_instance',
                   clean_shutdown=clean_shutdown)

    def start_instance(self, context: nova_context.RequestContext,
                       instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'start_instance')

    def pause_instance(self, context: nova_context.RequestContext,
                       instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'pause_instance')

    def unpause_instance(self, context: nova_context.RequestContext,
                         instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'unpause_instance')

    def suspend_instance(self, context: nova_context.RequestContext,
                         instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'suspend_instance')

    def resume_instance(self, context: nova_context.RequestContext,
                        instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'resume_instance')

    def trigger_crash_dump(self, context: nova_context.RequestContext,
                           instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'trigger_crash_dump')

    def rescue_instance(self, context: nova_context.RequestContext,
                        instance: dict[str, Any], image_meta: dict[str, Any],
                        rescue_password: str | None) -> None:
        self._cast(context, instance, 'rescue_instance',
                   image_meta=image_meta, rescue_password=rescue_password)

    def unrescue_instance(self, context: nova_context.RequestContext,
                          instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'unrescue_instance')

    def soft_delete_instance(self, context: nova_context.RequestContext,
                             instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'soft_delete_instance')

    def restore_instance(self, context: nova_context.RequestContext,
                         instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'restore_instance')

    def set_admin_password(self, context: nova_context.RequestContext,
                           instance: dict[str, Any], new_pass: str) -> None:
        self._cast(context, instance, 'set_admin_password',
                   new_pass=new_pass)

    def get_console_output(self, context: nova_context.RequestContext,
                           instance: dict[str, Any],
                           tail_length: int | None) -> str:
        cctxt = self.client.prepare(server=instance['host'], version='1.1')
        return cctxt.call(context, 'get_console_output', instance=instance,
                          tail_length=tail_length)

    def rebuild_instance(self, context: nova_context.RequestContext,
                         instance: dict[str, Any], image: dict[str, Any],
                         admin_password: str | None, stopped: bool,
                         host: str | None = None,
                         evacuate: bool = False,
                         migration_id: int | None = None,
                         preserve_ephemeral: bool = False) -> None:
        """Rebuild on the instance's host, or (evacuate) on ``host``."""
        kwargs: dict[str, Any] = {
            'instance': instance, 'image': image,
            'admin_password': admin_password, 'stopped': stopped,
            'evacuate': evacuate, 'migration_id': migration_id}
        version = '1.1'
        if preserve_ephemeral and self.client.can_send_version('1.2'):
            # A compute pinned to 1.1 does not know it (and blanks them).
            kwargs['preserve_ephemeral'] = True
            version = '1.2'
        self.client.prepare(server=host or instance['host'],
                            version=version).cast(
            context, 'rebuild_instance', **kwargs)

    def snapshot_instance(self, context: nova_context.RequestContext,
                          instance: dict[str, Any], image_id: str,
                          backup: dict[str, Any] | None) -> None:
        self._cast(context, instance, 'snapshot_instance',
                   image_id=image_id, backup=backup)

    def shelve_instance(self, context: nova_context.RequestContext,
                        instance: dict[str, Any], image_id: str,
                        clean_shutdown: bool = True) -> None:
        self._cast(context, instance, 'shelve_instance', image_id=image_id,
                   clean_shutdown=clean_shutdown)

    def shelve_offload_instance(self, context: nova_context.RequestContext,
                                instance: dict[str, Any]) -> None:
        self._cast(context, instance, 'shelve_offload_instance')

    def unshelve_instance(self, context: nova_context.RequestContext,
                          host: str, instance: dict[str, Any],
                          image: dict[str, Any] | None,
                          selection: dict[str, Any]) -> None:
        self._cast_to(context, host, 'unshelve_instance', instance=instance,
                      image=image, selection=selection)

    def live_migration(self, context: nova_context.RequestContext,
                       instance: dict[str, Any], migration: dict[str, Any],
                       block_migration: Any) -> None:
        self._cast_to(context, migration['source_compute'],
                      'live_migration', instance=instance,
                      migration=migration, block_migration=block_migration)

    def check_and_prepare_live_migration(
            self, context: nova_context.RequestContext, host: str,
            instance: dict[str, Any], block_migration: Any
            ) -> dict[str, Any]:
        cctxt = self.client.prepare(server=host, version='1.1')
        return cctxt.call(context, 'check_and_prepare_live_migration',
                          instance=instance,
                          block_migration=block_migration)

    def post_live_migration_at_destination(
            self, context: nova_context.RequestContext, host: str,
            instance: dict[str, Any]) -> None:
        self._cast_to(context, host, 'post_live_migration_at_destination',
                      instance=instance)

    def rollback_live_migration_at_destination(
            self, context: nova_context.RequestContext, host: str,
            instance: dict[str, Any]) -> None:
        self._cast_to(context, host,
                      'rollback_live_migration_at_destination',
                      instance=instance)

    def can_control_live_migrations(self) -> bool:
        """Whether the computes (per [upgrade_levels]) know 1.2."""
        return self.client.can_send_version('1.2')

    def live_migration_abort(self, context: nova_context.RequestContext,
                             migration: dict[str, Any],
                             instance: dict[str, Any]) -> None:
        self.client.prepare(server=migration['source_compute'],
                            version='1.2').cast(
            context, 'live_migration_abort', instance=instance,
            migration_id=migration['id'])

    def live_migration_force_complete(
            self, context: nova_context.RequestContext,
            migration: dict[str, Any], instance: dict[str, Any]) -> None:
        self.client.prepare(server=migration['source_compute'],
                            version='1.2').cast(
            context, 'live_migration_force_complete', instance=instance,
            migration_id=migration['id'])

    def get_console(self, context: nova_context.RequestContext,
                    instance: dict[str, Any], protocol: str
                    ) -> dict[str, Any]:
        """Where the guest's ``protocol`` (vnc, serial) console listens:
        {'host', 'port', 'internal_access_path'}."""
        cctxt = self.client.prepare(server=instance['host'], version='1.1')
        return cctxt.call(context, 'get_console', instance=instance,
                          protocol=protocol)

    def _cast_to(self, context: nova_context.RequestContext, host: str,
                 method: str, **kwargs: Any) -> None:
        self.client.prepare(server=host, version='1.1').cast(
            context, method, **kwargs)

    def resize_instance(self, context: nova_context.RequestContext,
                        instance: dict[str, Any], migration: dict[str, Any],
                        flavor: dict[str, Any]) -> None:
        self._cast_to(context, migration['source_compute'],
                      'resize_instance', instance=instance,
                      migration=migration, flavor=flavor)

    def finish_resize(self, context: nova_context.RequestContext, host: str,
                      instance: dict[str, Any], migration: dict[str, Any],
                      disk_info: str) -> None:
        self._cast_to(context, host, 'finish_resize', instance=instance,
                      migration=migration, disk_info=disk_info)

    def confirm_resize(self, context: nova_context.RequestContext,
                       instance: dict[str, Any],
                       migration: dict[str, Any]) -> None:
        self._cast_to(context, migration['source_compute'],
                      'confirm_resize', instance=instance,
                      migration=migration)

    def revert_resize(self, context: nova_context.RequestContext,
                      instance: dict[str, Any],
                      migration: dict[str, Any]) -> None:
        self._cast_to(context, migration['dest_compute'], 'revert_resize',
                      instance=instance, migration=migration)

    def finish_revert_resize(self, context: nova_context.RequestContext,
                             host: str, instance: dict[str, Any],
                             migration: dict[str, Any]) -> None:
        self._cast_to(context, host, 'finish_revert_resize',
                      instance=instance, migration=migration)
