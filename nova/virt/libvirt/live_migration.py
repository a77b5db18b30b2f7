"""Live migration of a libvirt guest to another host, its disks copied
while it runs (the contract's order is in nova.virt.migration).

    destination  check: say how to reach this host (peers.py), refuse a
                 migration that would not copy the disks (instance storage
                 is never shared here); prepare: an empty instance
                 directory, offered as a transient storage pool
    source       check: the guest runs and every file it uses can travel;
                 migrate: create its disks on the destination (thin, same
                 size and format), send the files from the image cache it
                 uses, then libvirt moves memory and disks (QEMU's NBD
                 mirror) and defines the guest there; the source's
                 directory goes once the guest left
    destination  finish: drop the pool, resume a guest that force-complete
                 paused; or roll back: remove whatever arrived

Force-complete pauses the guest so that its memory stops changing (it is
resumed on the destination); abort cancels libvirt's job, as does
``[libvirt] live_migration_completion_timeout``. Either way the guest
keeps running on the source.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable
from collections.abc import Iterator
from typing import TYPE_CHECKING
from typing import Any

import libvirt
from oslo_log import log as logging

from nova import conf as nova_conf
from nova import exception
from nova.virt import power_state
from nova.virt.contract import Instance
from nova.virt.contract import field
from nova.virt.libvirt import peers
from nova.virt.libvirt import relocate
from nova.virt.libvirt import resize as resize_mod
from nova.virt.libvirt.guest import Guest

if TYPE_CHECKING:
    from nova.virt.libvirt.driver import LibvirtDriver

LOG = logging.getLogger(__name__)
CONF = nova_conf.CONF

POOL = 'incoming'
_FLAGS = (libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PERSIST_DEST
          | libvirt.VIR_MIGRATE_UNDEFINE_SOURCE
          | libvirt.VIR_MIGRATE_NON_SHARED_DISK)


class Jobs:
    """The live migrations this host's guests are in, for abort and
    force-complete arriving on other threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, Guest] = {}

    @contextlib.contextmanager
    def running(self, instance_uuid: str, guest: Guest) -> Iterator[None]:
        with self._lock:
            self._running[instance_uuid] = guest
        timeout = CONF.libvirt.live_migration_completion_timeout
        timer = None
        if timeout:
            timer = threading.Timer(timeout, self._time_out,
                                    (instance_uuid, timeout))
            timer.daemon = True
            timer.start()
        try:
            yield
        finally:
            if timer is not None:
                timer.cancel()
            with self._lock:
                self._running.pop(instance_uuid, None)

    def get(self, instance_uuid: str, action: str) -> Guest:
        with self._lock:
            guest = self._running.get(instance_uuid)
        if guest is None:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance_uuid,
                attr='live migration', state='not running')
        return guest

    def _time_out(self, instance_uuid: str, timeout: int) -> None:
        LOG.warning('Live migration of %s still running after %ss '
                    '([libvirt] live_migration_completion_timeout): '
                    'aborting it', instance_uuid, timeout)
        with contextlib.suppress(exception.InstanceInvalidState,
                                 libvirt.libvirtError):
            self.get(instance_uuid, 'abort').abort_job()


def _not_shared() -> exception.DriverOperationNotSupported:
    return exception.DriverOperationNotSupported(
        message='The libvirt driver keeps instance disks on each host: a '
                'live migration must copy them (block_migration true or '
                'auto), not expect shared storage.',
        operation='live migration without block migration',
        driver='libvirt')


# -- destination ------------------------------------------------------------
def destination_data(drv: LibvirtDriver, instance: Instance,
                     block_migration: bool,
                     graphics_listen: str | None) -> dict[str, Any]:
    if not block_migration:
        raise _not_shared()
    return {'dest_uri': peers.inbound_uri(),
            'dest_addr': peers.inbound_addr(),
            'dest_instance_dir': drv.instance_dir(instance.uuid),
            'graphics_listen': graphics_listen}


def prepare_destination(drv: LibvirtDriver, instance: Instance,
                        data: dict[str, Any]) -> dict[str, Any]:
    instance_dir = drv.instance_dir(instance.uuid)
    relocate.make_instance_dir(instance_dir, drv.host_name, instance.uuid,
                               'pre_live_migration')
    try:
        peers.open_pool(drv.host.get_connection(),
                        peers.pool_name(POOL, instance.uuid), instance_dir)
    except Exception:
        shutil.rmtree(instance_dir, ignore_errors=True)
        raise
    return data


def _resume_if_forced(guest: Guest, instance: Instance) -> None:
    """Unpause a guest that force-complete paused, not its owner."""
    if (guest.power_state() == power_state.PAUSED
            and field(instance, 'vm_state') != 'paused'):
        guest.unpause()


def finish_at_destination(drv: LibvirtDriver, instance: Instance) -> None:
    peers.close_pool(drv.host.get_connection(),
                     peers.pool_name(POOL, instance.uuid))
    guest = drv.guest(instance)
    drv.keep_definition(drv.instance_dir(instance.uuid), guest.definition())
    _resume_if_forced(guest, instance)


def rollback_at_destination(drv: LibvirtDriver, instance: Instance) -> None:
    relocate.remove_instance(drv, instance, POOL)


# -- source -----------------------------------------------------------------
def check_source(drv: LibvirtDriver, instance: Instance,
                 data: dict[str, Any]) -> dict[str, Any]:
    guest = drv.guest(instance)
    state = guest.power_state()
    if state not in (power_state.RUNNING, power_state.PAUSED):
        raise exception.InstanceInvalidState(
            action='live migration', instance_uuid=instance.uuid,
            attr='power state', state=power_state.name(state))
    instance_dir = drv.instance_dir(instance.uuid)
    resize_mod.refuse_busy('live migration', instance, instance_dir)
    disks = [{'name': os.path.basename(path), 'format': fmt,
              'capacity': guest.block_capacity(path)}
             for path, fmt in guest.file_disks()]
    travel = relocate.files_outside(guest.definition(), instance_dir)
    return {**data, 'disks': disks, 'travel': travel}


def migrate(drv: LibvirtDriver, context: Any, instance: Instance,
            dest: str, post: Callable[..., Any],
            recover: Callable[..., Any], data: dict[str, Any]) -> None:
    guest = drv.guest(instance)
    source_dir = drv.instance_dir(instance.uuid)

    def for_destination(definition: str) -> str:
        return relocate.relocated(definition, source_dir,
                                  data['dest_instance_dir'],
                                  data.get('graphics_listen'))
    with peers.connection(data['dest_uri'], dest) as dconn:
        pool = dconn.storagePoolLookupByName(
            peers.pool_name(POOL, instance.uuid))
        for disk in data['disks']:
            peers.create_volume(pool, disk['name'], disk['format'],
                                disk['capacity'])
        for path in data['travel']:
            peers.upload(dconn, pool, path,
                         name=relocate.travel_name(path))
        # The running domain's XML and, for PERSIST_DEST, its persistent
        # definition: libvirt would otherwise define the source's paths.
        params = {libvirt.VIR_MIGRATE_PARAM_DEST_XML: for_destination(
                      guest.migratable_definition()),
                  libvirt.VIR_MIGRATE_PARAM_PERSIST_XML: for_destination(
                      guest.definition()),
                  libvirt.VIR_MIGRATE_PARAM_URI: f'tcp://{data["dest_addr"]}',
                  libvirt.VIR_MIGRATE_PARAM_LISTEN_ADDRESS: data['dest_addr'],
                  libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS:
                      guest.disk_targets()}
        bandwidth = CONF.libvirt.live_migration_bandwidth
        if bandwidth:
            params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] = bandwidth
        with drv.live_jobs.running(instance.uuid, guest):
            try:
                guest.migrate(dconn, params, _FLAGS)
            except libvirt.libvirtError as e:
                LOG.warning('Live migration of %s to %s failed: %s',
                            instance.uuid, dest, e.get_error_message())
                _resume_if_forced(guest, instance)
                recover(context, instance, dest, data)
                return
    LOG.info('Instance %s moved to %s; removing its files here',
             instance.uuid, dest)
    shutil.rmtree(source_dir, ignore_errors=True)
    post(context, instance, dest, True, data)


def force_complete(drv: LibvirtDriver, instance: Instance) -> None:
    guest = drv.live_jobs.get(instance.uuid, 'force_complete')
    if guest.power_state() != power_state.PAUSED:
        guest.pause()


def abort(drv: LibvirtDriver, instance: Instance) -> None:
    drv.live_jobs.get(instance.uuid, 'abort').abort_job()
