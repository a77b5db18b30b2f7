"""Cold and live migration of the fake driver.

Each host's hypervisor only touches its own guests, so the steps work
across processes too: the source stops or drops its copy, the destination
creates one (see nova.virt.migration for the order of calls).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from nova import conf as nova_conf
from nova import exception
from nova.virt import power_state
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import NetworkInfo
from nova.virt.contract import field
from nova.virt.fake import hypervisor as fake_hypervisor
from nova.virt.fake import injection
from nova.virt.fake.injection import operation

CONF = nova_conf.CONF

_LIVE = (power_state.RUNNING, power_state.PAUSED)


class _LiveJob:
    """A live migration copying memory: it ends when its time is up or
    when it is forced to complete or aborted (``outcome``)."""

    def __init__(self) -> None:
        self.ended = threading.Event()
        self.outcome = 'completed'

    def end(self, outcome: str) -> None:
        self.outcome = outcome
        self.ended.set()


class FakeMigrationMixin:
    host: str
    hypervisor: fake_hypervisor.FakeHypervisor
    # instance uuid -> its running live migration (class-wide: one fake
    # hypervisor per host, and a guest migrates from one host at a time).
    _live_jobs: dict[str, _LiveJob] = {}
    _live_jobs_lock = threading.Lock()

    def _local_node(self, *candidates: str | None) -> str:
        """The first candidate that is a node of this host, else our first
        node: the manager updates ``instance.node`` only after the move."""
        nodes = self.hypervisor.nodes
        return next((c for c in candidates if c in nodes), nodes[0])

    # -- cold --------------------------------------------------------------
    @operation('migrate_disk_and_power_off')
    def migrate_disk_and_power_off(
            self, context: Any, instance: Instance, dest: str, flavor: Any,
            network_info: NetworkInfo,
            block_device_info: dict[str, Any] | None = None,
            timeout: int = 0, retry_interval: int = 0) -> str:
        guest = self.hypervisor.get(instance.uuid)
        self.hypervisor.stop(instance.uuid, f'migrate to {dest}')
        return json.dumps({'source_host': self.host,
                           'image_id': guest.image_id})

    @operation('finish_migration')
    def finish_migration(
            self, context: Any, migration: Any, instance: Instance,
            disk_info: str, network_info: NetworkInfo,
            image_meta: ImageMeta, resize_instance: bool,
            allocations: dict[str, Any],
            block_device_info: dict[str, Any] | None = None,
            power_on: bool = True) -> None:
        node = self._local_node(field(migration, 'dest_node'), instance.node)
        if instance.uuid in self.hypervisor.uuids():
            # Resize on the same host: keep the old sizes for a revert.
            def resize(guest: fake_hypervisor.FakeGuest) -> None:
                guest.saved_sizes = (guest.vcpus, guest.memory_mb,
                                     guest.disk_gb)
                guest.vcpus, guest.memory_mb, guest.disk_gb = (
                    fake_hypervisor.guest_sizes(instance))
                guest.node = node
            self.hypervisor.change(instance.uuid, 'finish_migration',
                                   [power_state.SHUTDOWN],
                                   power_state.SHUTDOWN, update=resize)
        else:
            image_id = json.loads(disk_info or '{}').get('image_id')
            self.hypervisor.create(instance, image_id, node,
                                   state=power_state.SHUTDOWN)
        if power_on:
            self.hypervisor.start(instance.uuid, 'finish_migration')

    @operation('confirm_migration')
    def confirm_migration(self, context: Any, migration: Any,
                          instance: Instance,
                          network_info: NetworkInfo) -> None:
        if field(migration, 'dest_compute') != self.host:
            self.hypervisor.remove(instance.uuid)
            return

        def forget(guest: fake_hypervisor.FakeGuest) -> None:
            guest.saved_sizes = None
        state = self.hypervisor.get(instance.uuid).state
        self.hypervisor.change(instance.uuid, 'confirm_migration',
                               power_state.ALL_STATES, state, update=forget)

    @operation('finish_revert_migration')
    def finish_revert_migration(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo, migration: Any,
            block_device_info: dict[str, Any] | None = None,
            power_on: bool = True) -> None:
        node = self._local_node(field(migration, 'source_node'),
                                instance.node)
        if field(migration, 'dest_compute') == self.host:
            # Same-host resize: the destination copy is this one; make sure
            # it is stopped before it takes the old sizes back.
            self.hypervisor.stop(instance.uuid, 'revert resize')

        def revert(guest: fake_hypervisor.FakeGuest) -> None:
            if guest.saved_sizes:
                guest.vcpus, guest.memory_mb, guest.disk_gb = (
                    guest.saved_sizes)
            guest.saved_sizes = None
            guest.node = node
        self.hypervisor.change(instance.uuid, 'finish_revert_migration',
                               [power_state.SHUTDOWN], power_state.SHUTDOWN,
                               update=revert)
        if power_on:
            self.hypervisor.start(instance.uuid, 'finish_revert_migration')

    # -- live --------------------------------------------------------------
    def check_can_live_migrate_destination(
            self, context: Any, instance: Instance,
            src_compute_info: dict[str, Any],
            dst_compute_info: dict[str, Any], block_migration: bool = False,
            disk_over_commit: bool = False) -> dict[str, Any]:
        return {'dest_host': self.host, 'block_migration': block_migration}

    def check_can_live_migrate_source(
            self, context: Any, instance: Instance,
            dest_check_data: dict[str, Any]) -> dict[str, Any]:
        guest = self.hypervisor.get(instance.uuid)
        if guest.state not in _LIVE:
            raise exception.InstanceInvalidState(
                action='live_migration', instance_uuid=instance.uuid,
                attr='power_state', state=power_state.name(guest.state))
        if dest_check_data.get('dest_host') == self.host:
            raise exception.Invalid(reason='the destination of a live '
                                           'migration must be another host')
        return {**dest_check_data, 'source_host': self.host}

    def pre_live_migration(
            self, context: Any, instance: Instance,
            block_device_info: dict[str, Any] | None,
            network_info: NetworkInfo, disk_info: Any,
            migrate_data: dict[str, Any]) -> dict[str, Any]:
        return migrate_data

    def live_migration(
            self, context: Any, instance: Instance, dest: str,
            post_method: Callable[..., Any],
            recover_method: Callable[..., Any],
            block_migration: bool = False,
            migrate_data: dict[str, Any] | None = None) -> None:
        self.hypervisor.get(instance.uuid)
        job = _LiveJob()
        with self._live_jobs_lock:
            self._live_jobs[instance.uuid] = job
        try:
            injection.before_operation('live_migration', instance.uuid)
            job.ended.wait(CONF.fake_driver.live_migration_duration)
        except exception.VirtDriverError:
            job.end('failed')
        finally:
            with self._live_jobs_lock:
                self._live_jobs.pop(instance.uuid, None)
        if job.outcome in ('failed', 'aborted'):
            # The guest stays here, running; the manager rolls back.
            recover_method(context, instance, dest, migrate_data)
            return
        # The guest keeps running elsewhere: no STOPPED event for it.
        self.hypervisor.remove(instance.uuid, migrated=True)
        post_method(context, instance, dest, block_migration, migrate_data)

    def _running_live_job(self, instance: Instance,
                          action: str) -> _LiveJob:
        with self._live_jobs_lock:
            job = self._live_jobs.get(instance.uuid)
        if job is None or job.ended.is_set():
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance.uuid,
                attr='live migration', state='not running')
        return job

    def live_migration_force_complete(self, instance: Instance) -> None:
        self._running_live_job(instance, 'force_complete').end('completed')

    def live_migration_abort(self, instance: Instance) -> None:
        self._running_live_job(instance, 'abort').end('aborted')

    @operation('post_live_migration_at_destination')
    def post_live_migration_at_destination(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo, block_migration: bool = False,
            block_device_info: dict[str, Any] | None = None) -> None:
        if instance.uuid not in self.hypervisor.uuids():
            self.hypervisor.create(instance, instance.image_ref,
                                   self._local_node(instance.node),
                                   state=power_state.RUNNING)

    def rollback_live_migration_at_destination(
            self, context: Any, instance: Instance,
            network_info: NetworkInfo,
            block_device_info: dict[str, Any] | None,
            destroy_disks: bool = True,
            migrate_data: dict[str, Any] | None = None) -> None:
        self.hypervisor.remove(instance.uuid)
