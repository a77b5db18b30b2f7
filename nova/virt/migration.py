"""The migration half of the driver contract (``ComputeDriver`` inherits it).

Every method here is optional: ``capabilities['supports_migration']`` covers
the cold ones, ``capabilities['supports_live_migration']`` the live ones.
S is the source host's driver, D the destination's (S may be D for a resize
on the same host). The manager calls them in this order:

Cold migration / resize
    1. S ``migrate_disk_and_power_off`` -> ``disk_info`` (opaque str, handed
       to D unchanged)
    2. D ``finish_migration`` (``instance`` carries the new sizes)
    3. confirm: S ``confirm_migration`` (drop the source copy), or
       revert: D ``destroy`` (only when D is not S), then
       S ``finish_revert_migration`` (``instance`` carries the old sizes)

Live migration (the guest keeps running)
    1. D ``check_can_live_migrate_destination`` -> dest_check_data
    2. S ``check_can_live_migrate_source`` -> migrate_data
    3. D ``pre_live_migration`` -> migrate_data
    4. S ``live_migration``: moves the guest, then calls
       ``post_method(context, instance, dest, block_migration, migrate_data)``
       or, on failure, ``recover_method(context, instance, dest,
       migrate_data)``
    5. D ``post_live_migration_at_destination`` on success,
       D ``rollback_live_migration_at_destination`` on failure
    While 4 runs, another thread may call S ``live_migration_force_complete``
    (finish now) or S ``live_migration_abort`` (give up: 4 then calls
    ``recover_method``); both fail with ``InstanceInvalidState`` when no
    live migration of the instance is running.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nova import exception
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import NetworkInfo


class MigrationContract:
    def _unsupported(self, operation: str) -> exception.NotSupported:
        raise NotImplementedError  # provided by ComputeDriver

    # -- cold --------------------------------------------------------------
    def migrate_disk_and_power_off(
            self, context: Any, instance: Instance, dest: str, flavor: Any,
            network_info: NetworkInfo,
            block_device_info: dict[str, Any] | None = None,
            timeout: int = 0, retry_interval: int = 0) -> str:
        """Stop the guest (as ``power_off``) and make its disks available
        to ``dest``; return what ``finish_migration`` needs to find them.
        """
        raise self._unsupported('migrate_disk_and_power_off')

    def finish_migration(
            self, context: Any, migration: Any, instance: Instance,
            disk_info: str, network_info: NetworkInfo,
            image_meta: ImageMeta, resize_instance: bool,
            allocations: dict[str, Any],
            block_device_info: dict[str, Any] | None = None,
            power_on: bool = True) -> None:
        """Create the guest here with the new sizes (``resize_instance``:
        grow the disks), started when ``power_on``.
        """
        raise self._unsupported('finish_migration')

    def confirm_migration(self, context: Any, migration: Any,
                          instance: Instance,
                          network_info: NetworkInfo) -> None:
        """Remove what is left of the guest on the source."""
        raise self._unsupported('confirm_migration')

    def finish_revert_migration(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo, migration: Any,
            block_device_info: dict[str, Any] | None = None,
            power_on: bool = True) -> None:
        """Bring the source guest back with its old sizes."""
        raise self._unsupported('finish_revert_migration')

    # -- live --------------------------------------------------------------
    def check_can_live_migrate_destination(
            self, context: Any, instance: Instance,
            src_compute_info: dict[str, Any],
            dst_compute_info: dict[str, Any], block_migration: bool = False,
            disk_over_commit: bool = False) -> dict[str, Any]:
        raise self._unsupported('check_can_live_migrate_destination')

    def check_can_live_migrate_source(
            self, context: Any, instance: Instance,
            dest_check_data: dict[str, Any]) -> dict[str, Any]:
        raise self._unsupported('check_can_live_migrate_source')

    def pre_live_migration(
            self, context: Any, instance: Instance,
            block_device_info: dict[str, Any] | None,
            network_info: NetworkInfo, disk_info: Any,
            migrate_data: dict[str, Any]) -> dict[str, Any]:
        raise self._unsupported('pre_live_migration')

    def live_migration(
            self, context: Any, instance: Instance, dest: str,
            post_method: Callable[..., Any],
            recover_method: Callable[..., Any],
            block_migration: bool = False,
            migrate_data: dict[str, Any] | None = None) -> None:
        raise self._unsupported('live_migration')

    def post_live_migration_at_destination(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo, block_migration: bool = False,
            block_device_info: dict[str, Any] | None = None) -> None:
        raise self._unsupported('post_live_migration_at_destination')

    def rollback_live_migration_at_destination(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo,
            block_device_info: dict[str, Any] | None,
            destroy_disks: bool = True,
            migrate_data: dict[str, Any] | None = None) -> None:
        raise self._unsupported('rollback_live_migration_at_destination')

    def live_migration_force_complete(self, instance: Instance) -> None:
        """Make the running live migration of ``instance`` finish now,
        e.g. by pausing the guest so that its memory stops changing."""
        raise self._unsupported('live_migration_force_complete')

    def live_migration_abort(self, instance: Instance) -> None:
        """Stop the running live migration of ``instance``; the guest
        keeps running here."""
        raise self._unsupported('live_migration_abort')
