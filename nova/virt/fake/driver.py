"""The fake virt driver: every operation against an in-memory hypervisor.

A real, reusable driver for the embedded mode and scale tests: guests keep
power states with real rules, lifecycle events are emitted, inventory and
failures are configured in ``[fake_driver]``. Test-specific variants live
under ``tests/``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from typing import Any

from nova import conf as nova_conf
from nova import exception
from nova.virt import contract
from nova.virt import driver
from nova.virt import power_state
from nova.virt.contract import ImageAPI
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import NetworkInfo
from nova.virt.event import Transition
from nova.virt.fake import hypervisor as fake_hypervisor
from nova.virt.fake import injection
from nova.virt.fake.injection import operation
from nova.virt.fake.migration import FakeMigrationMixin

CONF = nova_conf.CONF

_ANY = power_state.ALL_STATES
_LIVE = (power_state.RUNNING, power_state.PAUSED)


def _console_port(uuid: str, base: int) -> int:
    return base + int(hashlib.sha256(uuid.encode()).hexdigest(), 16) % 1000


class FakeDriver(FakeMigrationMixin, driver.ComputeDriver):
    name = 'fake'
    capabilities = dict.fromkeys(driver.CAPABILITY_OPERATIONS, True)

    def __init__(self, image_api: ImageAPI | None = None) -> None:
        super().__init__(image_api)
        self.host = CONF.host
        self.hypervisor = fake_hypervisor.get_hypervisor(self.host)

    # -- host resources ----------------------------------------------------
    def init_host(self, host: str) -> None:
        self.hypervisor.unsubscribe(self.emit_event)
        self.host = host
        self.hypervisor = fake_hypervisor.get_hypervisor(host)
        self.hypervisor.subscribe(self.emit_event)

    def cleanup_host(self, host: str) -> None:
        self.hypervisor.unsubscribe(self.emit_event)

    def get_available_nodes(self, refresh: bool = False) -> list[str]:
        return list(self.hypervisor.nodes)

    def get_available_resource(self, nodename: str) -> dict[str, Any]:
        return self.hypervisor.resources(nodename)

    def get_host_uptime(self) -> str:
        minutes = int(time.time() - self.hypervisor.started_at) // 60
        return (f' {time.strftime("%H:%M:%S")} up {minutes} min,  0 users,'
                '  load average: 0.00, 0.00, 0.00')

    # -- guest lifecycle ---------------------------------------------------
    def list_instance_uuids(self) -> list[str]:
        return self.hypervisor.uuids()

    def spawn(self, context: Any, instance: Instance, image_meta: ImageMeta,
              injected_files: list[tuple[str, bytes]],
              admin_password: str | None, allocations: dict[str, Any],
              network_info: NetworkInfo,
              block_device_info: dict[str, Any] | None = None) -> None:
        injection.before_spawn(instance, image_meta, self.host)
        self.hypervisor.create(instance, image_meta.get('id'),
                               getattr(instance, 'node', None))

    @operation('destroy')
    def destroy(self, context: Any, instance: Instance,
                network_info: NetworkInfo,
                block_device_info: dict[str, Any] | None = None,
                destroy_disks: bool = True) -> None:
        self.hypervisor.remove(instance.uuid)

    @operation('rebuild')
    def rebuild(self, context: Any, instance: Instance, image_meta: ImageMeta,
                injected_files: list[tuple[str, bytes]],
                admin_password: str | None, network_info: NetworkInfo,
                block_device_info: dict[str, Any] | None = None,
                preserve_ephemeral: bool = False) -> None:
        self.hypervisor.stop(instance.uuid, 'rebuild')

        def new_image(guest: fake_hypervisor.FakeGuest) -> None:
            guest.image_id = image_meta.get('id')
        self.hypervisor.change(instance.uuid, 'rebuild', _ANY,
                               power_state.SHUTDOWN, update=new_image)
        self.hypervisor.start(instance.uuid, 'rebuild')

    def get_info(self, instance: Instance) -> contract.InstanceInfo:
        guest = self.hypervisor.get(instance.uuid)
        return contract.InstanceInfo(state=guest.state,
                                     internal_id=guest.name)

    # -- power -------------------------------------------------------------
    @operation('reboot')
    def reboot(self, context: Any, instance: Instance,
               network_info: NetworkInfo, reboot_type: str,
               block_device_info: dict[str, Any] | None = None) -> None:
        driver.check_reboot_type(reboot_type)
        # A soft reboot of a guest that is not running falls back to hard,
        # as on a real hypervisor; either way the guest ends up running.
        self.hypervisor.restart(instance.uuid, f'reboot {reboot_type}')

    @operation('power_off')
    def power_off(self, instance: Instance, timeout: int = 0,
                  retry_interval: int = 0) -> None:
        action = 'ACPI shutdown' if timeout else 'power_off'
        self.hypervisor.stop(instance.uuid, action)

    @operation('power_on')
    def power_on(self, context: Any, instance: Instance,
                 network_info: NetworkInfo,
                 block_device_info: dict[str, Any] | None = None) -> None:
        self.hypervisor.start(instance.uuid)

    @operation('pause')
    def pause(self, instance: Instance) -> None:
        self.hypervisor.change(instance.uuid, 'pause', [power_state.RUNNING],
                               power_state.PAUSED, [Transition.PAUSED])

    @operation('unpause')
    def unpause(self, instance: Instance) -> None:
        self.hypervisor.change(instance.uuid, 'unpause', [power_state.PAUSED],
                               power_state.RUNNING, [Transition.RESUMED])

    @operation('suspend')
    def suspend(self, context: Any, instance: Instance) -> None:
        self.hypervisor.change(instance.uuid, 'suspend', _LIVE,
                               power_state.SUSPENDED, [Transition.SUSPENDED])

    @operation('resume')
    def resume(self, context: Any, instance: Instance,
               network_info: NetworkInfo,
               block_device_info: dict[str, Any] | None = None) -> None:
        self.hypervisor.change(instance.uuid, 'resume',
                               [power_state.SUSPENDED], power_state.RUNNING,
                               [Transition.RESUMED])

    @operation('trigger_crash_dump')
    def trigger_crash_dump(self, instance: Instance) -> None:
        def dump(guest: fake_hypervisor.FakeGuest) -> None:
            guest.crash_dumps += 1
        self.hypervisor.change(instance.uuid, 'NMI', [power_state.RUNNING],
                               power_state.RUNNING, update=dump)

    @operation('set_admin_password')
    def set_admin_password(self, instance: Instance, new_pass: str) -> None:
        def set_password(guest: fake_hypervisor.FakeGuest) -> None:
            guest.admin_password_set = True  # the password is not kept
        self.hypervisor.change(instance.uuid, 'set_admin_password',
                               [power_state.RUNNING], power_state.RUNNING,
                               update=set_password)

    # -- rescue ------------------------------------------------------------
    @operation('rescue')
    def rescue(self, context: Any, instance: Instance,
               network_info: NetworkInfo, image_meta: ImageMeta,
               rescue_password: str | None) -> None:
        guest = self.hypervisor.get(instance.uuid)
        if guest.state == power_state.SUSPENDED:
            raise exception.InstanceInvalidState(
                action='rescue', instance_uuid=instance.uuid,
                attr='power_state', state='suspended')
        self.hypervisor.stop(instance.uuid, 'rescue')

        def rescued(guest: fake_hypervisor.FakeGuest) -> None:
            guest.rescued = True
        self.hypervisor.change(instance.uuid, 'rescue', _ANY,
                               power_state.RUNNING, [Transition.STARTED],
                               update=rescued)

    @operation('unrescue')
    def unrescue(self, context: Any, instance: Instance) -> None:
        if not self.hypervisor.get(instance.uuid).rescued:
            raise exception.InstanceInvalidState(
                action='unrescue', instance_uuid=instance.uuid,
                attr='rescue state', state='not rescued')
        self.hypervisor.stop(instance.uuid, 'unrescue')

        def unrescued(guest: fake_hypervisor.FakeGuest) -> None:
            guest.rescued = False
        self.hypervisor.change(instance.uuid, 'unrescue', _ANY,
                               power_state.RUNNING, [Transition.STARTED],
                               update=unrescued)

    # -- console -----------------------------------------------------------
    @operation('get_console_output')
    def get_console_output(self, context: Any, instance: Instance) -> str:
        guest = self.hypervisor.get(instance.uuid)
        header = (f'fake console of instance {guest.uuid} ({guest.name}) '
                  f'on {self.host}/{guest.node}')
        return '\n'.join([header, *guest.console]) + '\n'

    @operation('get_vnc_console')
    def get_vnc_console(self, context: Any,
                        instance: Instance) -> dict[str, Any]:
        self.hypervisor.get(instance.uuid)
        return {'host': '127.0.0.1',
                'port': _console_port(instance.uuid, 5900),
                'internal_access_path': None}

    @operation('get_serial_console')
    def get_serial_console(self, context: Any,
                           instance: Instance) -> dict[str, Any]:
        self.hypervisor.get(instance.uuid)
        return {'host': '127.0.0.1',
                'port': _console_port(instance.uuid, 10000),
                'internal_access_path': None}

    # -- snapshots ---------------------------------------------------------
    @operation('snapshot')
    def snapshot(self, context: Any, instance: Instance, image_id: str,
                 update_task_state: contract.UpdateTaskState,
                 image_api: ImageAPI) -> None:
        guest = self.hypervisor.get(instance.uuid)
        update_task_state(task_state=contract.IMAGE_PENDING_UPLOAD)
        with tempfile.TemporaryDirectory(prefix='fake-snapshot-') as tmp:
            path = os.path.join(tmp, 'disk')
            with open(path, 'w') as f:
                f.write(f'fake disk of instance {guest.uuid}, created from '
                        f'image {guest.image_id}\n')
            update_task_state(task_state=contract.IMAGE_UPLOADING,
                              expected_state=contract.IMAGE_PENDING_UPLOAD)
            image_api.upload(context, image_id, path, 'raw')

    # -- events ------------------------------------------------------------
    # register_event_listener/emit_event come from ComputeDriver; the
    # hypervisor calls emit_event of every driver bound to its host.
