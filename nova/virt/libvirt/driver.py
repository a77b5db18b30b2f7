"""The libvirt (QEMU/KVM) driver: a thin facade over the concern modules.

host.py (connection, events, host facts), guest.py (domain lifecycle),
config.py (domain XML), imagebackend.py and qemu_img.py (disks), vif.py
(NICs), rescue.py, rebuild.py and resize.py (the operations that redefine
a domain), cold_migration.py and live_migration.py (moves to another
host, through peers.py and relocate.py). Each instance lives in
``[libvirt] instances_path``/<uuid>/ with its disks, its serial console
log and a copy of its domain XML.

Instance storage is local to each host and never shared: a move to
another host copies the disks (through the other host's libvirtd, see
peers.py), a live migration with block migration. Shelve, offload and
unshelve need nothing of their own: snapshot, destroy and spawn.

changePassword goes through the QEMU guest agent: guests of images with
``hw_qemu_guest_agent=yes`` get its channel (the agent must run in the
guest); others refuse it clearly. Not supported here (capabilities say
so): serial console proxying, host uptime. Rescue does not hand the
rescue password to the guest (no config drive to carry it).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import excutils

from nova import conf as nova_conf
from nova import exception
from nova.virt import contract
from nova.virt import driver
from nova.virt import power_state
from nova.virt.contract import ImageAPI
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import NetworkInfo
from nova.virt.event import LifecycleEvent
from nova.virt.event import Transition
from nova.virt.libvirt import cold_migration
from nova.virt.libvirt import config
from nova.virt.libvirt import host as libvirt_host
from nova.virt.libvirt import imagebackend
from nova.virt.libvirt import live_migration
from nova.virt.libvirt import qemu_img
from nova.virt.libvirt import rebuild as rebuild_mod
from nova.virt.libvirt import rescue as rescue_mod
from nova.virt.libvirt import resize as resize_mod
from nova.virt.libvirt import vif
from nova.virt.libvirt.errors import translated
from nova.virt.libvirt.guest import Guest
from nova.virt.libvirt.guest import read_log_tail

LOG = logging.getLogger(__name__)
CONF = nova_conf.CONF

_WILDCARDS = ('0.0.0.0', '::', '')


def _graphics_listen() -> str | None:
    """``[vnc] server_listen`` when the [vnc] group exists and is on.

    The group belongs to the console work; without it guests get no VNC.
    """
    try:
        vnc = CONF.vnc
    except cfg.NoSuchOptError:
        return None
    if not getattr(vnc, 'enabled', True):
        return None
    return getattr(vnc, 'server_listen', None)


class LibvirtDriver(driver.ComputeDriver):
    name = 'libvirt'
    capabilities = {**driver.ComputeDriver.capabilities,
                    'supports_pause': True,
                    'supports_suspend': True,
                    'supports_snapshot': True,
                    'supports_rescue': True,
                    'supports_rebuild': True,
                    'supports_migration': True,
                    'supports_live_migration': True,
                    'supports_trigger_crash_dump': True,
                    'supports_set_admin_password': True,
                    'supports_console_output': True,
                    'supports_vnc_console': True,
                    'supports_lifecycle_events': True}

    def __init__(self, image_api: ImageAPI | None = None) -> None:
        super().__init__(image_api)
        uri = CONF.libvirt.connection_uri or 'qemu:///system'
        self.host = libvirt_host.Host(uri, self._on_lifecycle)
        self._host_name = CONF.host
        self._nodename: str | None = None
        self.live_jobs = live_migration.Jobs()

    @property
    def host_name(self) -> str:
        """The compute service's host (``init_host``): where a resize may
        go."""
        return self._host_name

    # -- paths -------------------------------------------------------------
    @staticmethod
    def instance_dir(instance_uuid: str) -> str:
        return os.path.join(CONF.libvirt.instances_path, instance_uuid)

    def console_log_path(self, instance_uuid: str) -> str:
        return os.path.join(self.instance_dir(instance_uuid), 'console.log')

    def image_cache(self) -> imagebackend.ImageCache:
        return imagebackend.ImageCache(
            os.path.join(CONF.libvirt.instances_path, '_base'),
            self.image_api)

    def guest(self, instance: Instance) -> Guest:
        return Guest(self.host.lookup(instance.uuid))

    # -- host resources ----------------------------------------------------
    def init_host(self, host: str) -> None:
        self._host_name = host
        opts = CONF.libvirt
        if opts.cpu_mode == 'custom' and not opts.cpu_models:
            raise exception.ComputeDriverLoadFailed(
                name=self.name, reason='[libvirt] cpu_mode = custom needs '
                                       '[libvirt] cpu_models')
        try:
            self.host.start()
        except exception.ServiceUnavailable as e:
            raise exception.ComputeDriverLoadFailed(
                name=self.name, reason=e.format_message()) from e
        os.makedirs(opts.instances_path, exist_ok=True)

    def cleanup_host(self, host: str) -> None:
        self.host.stop()

    def get_available_nodes(self, refresh: bool = False) -> list[str]:
        if refresh or self._nodename is None:
            self._nodename = self.host.hostname()
        return [self._nodename]

    def get_available_resource(self, nodename: str) -> dict[str, Any]:
        if nodename not in self.get_available_nodes():
            raise exception.ComputeNodeNotFound(node=nodename)
        resources = self.host.resources(CONF.libvirt.instances_path)
        resources['hypervisor_hostname'] = nodename
        return resources

    # -- guest lifecycle ---------------------------------------------------
    def list_instance_uuids(self) -> list[str]:
        return [d.UUIDString() for d in self.host.list_domains()]

    @staticmethod
    def graphics_listen() -> str | None:
        return _graphics_listen()

    def domain_xml(self, instance: Instance, image_meta: ImageMeta,
                   disks: list[imagebackend.Disk],
                   network_info: NetworkInfo,
                   kernel: imagebackend.KernelBoot | None) -> str:
        opts = CONF.libvirt
        spec = config.guest_spec(
            instance, image_meta, virt_type=opts.virt_type,
            cpu_mode=opts.cpu_mode, cpu_models=opts.cpu_models, disks=disks,
            interfaces=vif.interface_elements(network_info, image_meta,
                                              opts.default_bridge),
            console_log=self.console_log_path(instance.uuid),
            graphics_listen=self.graphics_listen(), kernel=kernel)
        return config.to_xml(config.build_domain(spec))

    @translated('spawn')
    def spawn(self, context: Any, instance: Instance, image_meta: ImageMeta,
              injected_files: list[tuple[str, bytes]],
              admin_password: str | None, allocations: dict[str, Any],
              network_info: NetworkInfo,
              block_device_info: dict[str, Any] | None = None) -> None:
        if self.instance_exists(instance):
            raise exception.InstanceExists(name=instance.name)
        instance_dir = self.instance_dir(instance.uuid)
        os.makedirs(instance_dir, exist_ok=True)
        guest = None
        try:
            cache = self.image_cache()
            disks = imagebackend.create_instance_disks(
                cache, context, instance, image_meta, instance_dir,
                CONF.libvirt.images_type)
            kernel = imagebackend.kernel_boot(cache, context, image_meta)
            xml = self.domain_xml(instance, image_meta, disks, network_info,
                                  kernel)
            guest = self.define(instance_dir, xml)
            guest.launch()
        except Exception:
            with excutils.save_and_reraise_exception():
                self.remove_guest(guest, instance_dir, destroy_disks=True)
        LOG.info('Spawned instance %s as domain %s', instance.uuid,
                 instance.name)

    def define(self, instance_dir: str, xml: str) -> Guest:
        """Define (or redefine) the domain of ``xml``."""
        self.keep_definition(instance_dir, xml)
        return Guest.define(self.host.get_connection(), xml)

    @staticmethod
    def keep_definition(instance_dir: str, xml: str) -> None:
        # For operators: what libvirt was asked for, next to the disks.
        with open(os.path.join(instance_dir, 'libvirt.xml'), 'w') as f:
            f.write(xml)

    def remove_guest(self, guest: Guest | None, instance_dir: str,
                      destroy_disks: bool) -> None:
        if guest is not None:
            guest.remove()
        if destroy_disks:
            shutil.rmtree(instance_dir, ignore_errors=True)
        else:  # the guest's own disks stay; a rescue's are no use now
            rescue_mod.forget(instance_dir)

    @translated('rebuild')
    def rebuild(self, context: Any, instance: Instance,
                image_meta: ImageMeta,
                injected_files: list[tuple[str, bytes]],
                admin_password: str | None, network_info: NetworkInfo,
                block_device_info: dict[str, Any] | None = None,
                preserve_ephemeral: bool = False) -> None:
        """See rebuild.py; ``preserve_ephemeral`` comes from the
        rebuild request (blank ephemeral disks by default, as upstream)."""
        rebuild_mod.rebuild(self, context, instance, image_meta,
                            network_info, preserve_ephemeral)

    @translated('destroy')
    def destroy(self, context: Any, instance: Instance,
                network_info: NetworkInfo,
                block_device_info: dict[str, Any] | None = None,
                destroy_disks: bool = True) -> None:
        try:
            guest: Guest | None = self.guest(instance)
        except exception.InstanceNotFound:
            guest = None
        self.remove_guest(guest, self.instance_dir(instance.uuid),
                           destroy_disks)

    @translated('get_info')
    def get_info(self, instance: Instance) -> contract.InstanceInfo:
        guest = self.guest(instance)
        return contract.InstanceInfo(state=guest.power_state(),
                                     internal_id=guest.name)

    # -- power -------------------------------------------------------------
    @translated('reboot')
    def reboot(self, context: Any, instance: Instance,
               network_info: NetworkInfo, reboot_type: str,
               block_device_info: dict[str, Any] | None = None) -> None:
        driver.check_reboot_type(reboot_type)
        guest = self.guest(instance)
        if rescue_mod.is_rescued(self.instance_dir(instance.uuid)):
            # The manager records a rebooted server ACTIVE: it comes back
            # on its own disks, as after unrescue (a soft reboot gives the
            # rescue system its clean shutdown first).
            if reboot_type == 'SOFT':
                guest.shutdown(CONF.libvirt.shutdown_timeout)
            rescue_mod.unrescue(self, instance)
            return
        if reboot_type == 'SOFT':
            if guest.reboot_soft(CONF.libvirt.shutdown_timeout):
                return
            LOG.info('Soft reboot of %s did not complete; rebooting hard',
                     instance.uuid)
        guest.reboot_hard()

    @translated('power_off')
    def power_off(self, instance: Instance, timeout: int = 0,
                  retry_interval: int = 0) -> None:
        self.guest(instance).power_off(timeout, retry_interval)

    @translated('power_on')
    def power_on(self, context: Any, instance: Instance,
                 network_info: NetworkInfo,
                 block_device_info: dict[str, Any] | None = None) -> None:
        guest = self.guest(instance)
        if rescue_mod.is_rescued(self.instance_dir(instance.uuid)):
            # Every caller records the server ACTIVE after this (start of
            # a server stopped while rescued, restore): on its own disks.
            rescue_mod.unrescue(self, instance)
            return
        state = guest.power_state()
        if state == power_state.PAUSED:
            guest.unpause()
        elif state != power_state.RUNNING:
            guest.launch()

    @translated('pause')
    def pause(self, instance: Instance) -> None:
        self.guest(instance).pause()

    @translated('unpause')
    def unpause(self, instance: Instance) -> None:
        self.guest(instance).unpause()

    @translated('suspend')
    def suspend(self, context: Any, instance: Instance) -> None:
        self.guest(instance).save()

    @translated('resume')
    def resume(self, context: Any, instance: Instance,
               network_info: NetworkInfo,
               block_device_info: dict[str, Any] | None = None) -> None:
        self.guest(instance).restore()

    @translated('trigger_crash_dump')
    def trigger_crash_dump(self, instance: Instance) -> None:
        self.guest(instance).inject_nmi()

    @translated('set_admin_password')
    def set_admin_password(self, instance: Instance, new_pass: str) -> None:
        guest = self.guest(instance)
        user = guest.agent_user()
        if user is None:
            raise exception.DriverOperationNotSupported(
                message='Setting the password of a libvirt guest needs the '
                        'QEMU guest agent: boot it from an image with '
                        'hw_qemu_guest_agent=yes and the agent installed.',
                operation='set_admin_password', driver='libvirt')
        guest.set_user_password(user, new_pass)

    # -- rescue ------------------------------------------------------------
    @translated('rescue')
    def rescue(self, context: Any, instance: Instance,
               network_info: NetworkInfo, image_meta: ImageMeta,
               rescue_password: str | None) -> None:
        rescue_mod.rescue(self, context, instance, network_info, image_meta)

    @translated('unrescue')
    def unrescue(self, context: Any, instance: Instance) -> None:
        rescue_mod.unrescue(self, instance)

    # -- cold moves: resize.py on this host, cold_migration.py across -----
    @translated('migrate_disk_and_power_off')
    def migrate_disk_and_power_off(
            self, context: Any, instance: Instance, dest: str, flavor: Any,
            network_info: NetworkInfo,
            block_device_info: dict[str, Any] | None = None,
            timeout: int = 0, retry_interval: int = 0) -> str:
        if dest != self.host_name:
            return cold_migration.export(self, instance, flavor, timeout,
                                         retry_interval)
        return resize_mod.migrate_disk_and_power_off(
            self, instance, dest, flavor, timeout, retry_interval)

    @translated('finish_migration')
    def finish_migration(
            self, context: Any, migration: Any, instance: Instance,
            disk_info: str, network_info: NetworkInfo,
            image_meta: ImageMeta, resize_instance: bool,
            allocations: dict[str, Any],
            block_device_info: dict[str, Any] | None = None,
            power_on: bool = True) -> None:
        exported = json.loads(disk_info or '{}')
        if exported.get('source_host', self.host_name) != self.host_name:
            cold_migration.finish(self, instance, exported, power_on)
            return
        resize_mod.finish_migration(self, instance, disk_info, power_on)

    @translated('confirm_migration')
    def confirm_migration(self, context: Any, migration: Any,
                          instance: Instance,
                          network_info: NetworkInfo) -> None:
        if cold_migration.is_exported(self.instance_dir(instance.uuid)):
            cold_migration.confirm(self, instance)
            return
        resize_mod.confirm_migration(self, instance)

    @translated('finish_revert_migration')
    def finish_revert_migration(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo, migration: Any,
            block_device_info: dict[str, Any] | None = None,
            power_on: bool = True) -> None:
        if cold_migration.is_exported(self.instance_dir(instance.uuid)):
            cold_migration.revert(self, instance, power_on)
            return
        resize_mod.finish_revert_migration(self, instance, power_on)

    # -- live migration (live_migration.py) ------------------------------
    @translated('check_can_live_migrate_destination')
    def check_can_live_migrate_destination(
            self, context: Any, instance: Instance,
            src_compute_info: dict[str, Any],
            dst_compute_info: dict[str, Any], block_migration: bool = False,
            disk_over_commit: bool = False) -> dict[str, Any]:
        return live_migration.destination_data(
            self, instance, block_migration, self.graphics_listen())

    @translated('check_can_live_migrate_source')
    def check_can_live_migrate_source(
            self, context: Any, instance: Instance,
            dest_check_data: dict[str, Any]) -> dict[str, Any]:
        return live_migration.check_source(self, instance, dest_check_data)

    @translated('pre_live_migration')
    def pre_live_migration(
            self, context: Any, instance: Instance,
            block_device_info: dict[str, Any] | None,
            network_info: NetworkInfo, disk_info: Any,
            migrate_data: dict[str, Any]) -> dict[str, Any]:
        return live_migration.prepare_destination(self, instance,
                                                  migrate_data)

    @translated('live_migration')
    def live_migration(
            self, context: Any, instance: Instance, dest: str,
            post_method: Callable[..., Any],
            recover_method: Callable[..., Any],
            block_migration: bool = False,
            migrate_data: dict[str, Any] | None = None) -> None:
        live_migration.migrate(self, context, instance, dest, post_method,
                               recover_method, migrate_data or {})

    @translated('post_live_migration_at_destination')
    def post_live_migration_at_destination(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo, block_migration: bool = False,
            block_device_info: dict[str, Any] | None = None) -> None:
        live_migration.finish_at_destination(self, instance)

    @translated('rollback_live_migration_at_destination')
    def rollback_live_migration_at_destination(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo,
            block_device_info: dict[str, Any] | None,
            destroy_disks: bool = True,
            migrate_data: dict[str, Any] | None = None) -> None:
        live_migration.rollback_at_destination(self, instance)

    @translated('live_migration_force_complete')
    def live_migration_force_complete(self, instance: Instance) -> None:
        live_migration.force_complete(self, instance)

    @translated('live_migration_abort')
    def live_migration_abort(self, instance: Instance) -> None:
        live_migration.abort(self, instance)

    # -- console -----------------------------------------------------------
    @translated('get_console_output')
    def get_console_output(self, context: Any, instance: Instance) -> str:
        self.guest(instance)  # InstanceNotFound for an unknown guest
        return read_log_tail(self.console_log_path(instance.uuid))

    @translated('get_vnc_console')
    def get_vnc_console(self, context: Any,
                        instance: Instance) -> dict[str, Any]:
        address = self.guest(instance).vnc_address()
        if address is None:
            raise exception.ConsoleTypeUnavailable(console_type='vnc')
        listen, port = address
        host = self._host_name if listen in _WILDCARDS else listen
        return {'host': host, 'port': port, 'internal_access_path': None}

    # -- snapshots ---------------------------------------------------------
    @translated('snapshot')
    def snapshot(self, context: Any, instance: Instance, image_id: str,
                 update_task_state: contract.UpdateTaskState,
                 image_api: ImageAPI) -> None:
        guest = self.guest(instance)
        update_task_state(task_state=contract.IMAGE_PENDING_UPLOAD)
        disk_path, disk_format = guest.root_disk()
        state = guest.power_state()
        live = state in (power_state.RUNNING, power_state.PAUSED)
        work_dir = os.path.join(CONF.libvirt.instances_path, 'snapshots')
        os.makedirs(work_dir, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
            target = os.path.join(tmp, image_id)
            # Cold snapshot: a managed save closes the disk, so the copy is
            # consistent; the guest resumes where it was right after.
            if live:
                guest.save()
            try:
                qemu_img.convert(disk_path, disk_format, target, disk_format)
            finally:
                if live:
                    guest.restore(paused=state == power_state.PAUSED)
            update_task_state(task_state=contract.IMAGE_UPLOADING,
                              expected_state=contract.IMAGE_PENDING_UPLOAD)
            image_api.upload(context, image_id, target, disk_format)

    # -- events ------------------------------------------------------------
    def _on_lifecycle(self, instance_uuid: str,
                      transition: Transition) -> None:
        self.emit_event(LifecycleEvent(instance_uuid, transition))
