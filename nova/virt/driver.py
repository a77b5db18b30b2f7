"""The virt driver contract: what the compute manager may ask a hypervisor.

One ``ComputeDriver`` instance runs inside each nova-compute service and
answers for the nodes that service manages. The manager calls it from its
own threads; a driver serialises whatever its hypervisor needs serialised.
The shapes of ``instance``, ``image_meta``, ``network_info``, ``migration``
and ``image_api`` are described in :mod:`nova.virt.contract`.

Errors a driver raises, and what the manager makes of them:

* ``InstanceNotFound``: the hypervisor has no guest for the instance.
* ``InstanceInvalidState``: the guest's power state does not allow the
  operation (e.g. ``unpause`` of a running guest).
* ``DriverOperationNotSupported`` (a ``NotSupported``, 409): the driver
  cannot do this at all; ``capabilities`` says so ahead of time.
* ``VirtDriverError``: the hypervisor failed; the message says why. For
  ``spawn`` the manager treats any exception as a build failure and
  reschedules.

Methods are grouped by concern below (migration in nova.virt.migration,
with the order the manager calls them in); the required ones are abstract,
the optional ones raise ``DriverOperationNotSupported`` unless a driver
overrides them and sets the matching ``capabilities`` flag.

Load the configured driver with ``load_compute_driver()``, then call
``init_host(host)`` before anything else.
"""

from __future__ import annotations

import abc
import importlib.metadata
from collections.abc import Callable
from typing import Any
from typing import ClassVar

from oslo_log import log as logging
from stevedore import driver as stevedore_driver
from stevedore import exception as stevedore_exception

from nova import conf as nova_conf
from nova import exception
from nova.virt import contract
from nova.virt import migration
from nova.virt.contract import ImageAPI
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import NetworkInfo
from nova.virt.event import LifecycleEvent

LOG = logging.getLogger(__name__)
CONF = nova_conf.CONF

NAMESPACE = 'nova.compute.drivers'

EventListener = Callable[[LifecycleEvent], None]

# Capability flag -> the optional operations it covers. A driver that sets
# a flag implements every operation listed under it.
CAPABILITY_OPERATIONS: dict[str, tuple[str, ...]] = {
    'supports_rebuild': ('rebuild',),
    'supports_pause': ('pause', 'unpause'),
    'supports_suspend': ('suspend', 'resume'),
    'supports_rescue': ('rescue', 'unrescue'),
    'supports_snapshot': ('snapshot',),
    'supports_trigger_crash_dump': ('trigger_crash_dump',),
    'supports_set_admin_password': ('set_admin_password',),
    'supports_console_output': ('get_console_output',),
    'supports_vnc_console': ('get_vnc_console',),
    'supports_serial_console': ('get_serial_console',),
    'supports_host_uptime': ('get_host_uptime',),
    'supports_migration': ('migrate_disk_and_power_off', 'finish_migration',
                           'confirm_migration', 'finish_revert_migration'),
    'supports_live_migration': (
        'check_can_live_migrate_destination', 'check_can_live_migrate_source',
        'pre_live_migration', 'live_migration',
        'post_live_migration_at_destination',
        'rollback_live_migration_at_destination',
        'live_migration_force_complete', 'live_migration_abort'),
    # Not an operation: whether the listener ever hears anything.
    'supports_lifecycle_events': (),
}

_OPERATION_CAPABILITY = {op: cap for cap, ops in CAPABILITY_OPERATIONS.items()
                         for op in ops}


class ComputeDriver(migration.MigrationContract, abc.ABC):
    """Base class and contract of every virt driver.

    Migration operations are inherited from ``MigrationContract``.
    """

    #: Entry-point name, used in messages ("... not supported by the fake
    #: virt driver").
    name: ClassVar[str] = 'base'

    #: What this driver can do (keys: CAPABILITY_OPERATIONS); subclasses
    #: copy and update it. The compute manager asks ``supports()`` where it
    #: has another way (rebuild: destroy + spawn); elsewhere the call
    #: raises DriverOperationNotSupported and the action ends with that
    #: fault. The API does not read it (it runs where no driver is).
    capabilities: ClassVar[dict[str, bool]] = dict.fromkeys(
        CAPABILITY_OPERATIONS, False)

    def __init__(self, image_api: ImageAPI | None = None) -> None:
        #: Where ``spawn`` fetches images from (see nova.virt.contract).
        self.image_api = image_api
        self._event_listener: EventListener | None = None

    def supports(self, operation: str) -> bool:
        """Whether ``operation`` (a method name) is available."""
        capability = _OPERATION_CAPABILITY.get(operation)
        return capability is None or self.capabilities.get(capability, False)

    def _unsupported(self, operation: str) -> exception.NotSupported:
        return exception.DriverOperationNotSupported(operation=operation,
                                                     driver=self.name)

    # -- host resources ----------------------------------------------------
    @abc.abstractmethod
    def init_host(self, host: str) -> None:
        """Connect to the hypervisor; called once before anything else.

        ``host`` is the service's host name (``[DEFAULT] host``). Raise
        ``ComputeDriverLoadFailed`` when the hypervisor is unusable, so the
        service fails at start-up rather than at the first boot.
        """

    def cleanup_host(self, host: str) -> None:
        """Release connections and threads; called when the service stops."""

    @abc.abstractmethod
    def get_available_nodes(self, refresh: bool = False) -> list[str]:
        """Names of the nodes (hypervisor_hostname) this service manages."""

    @abc.abstractmethod
    def get_available_resource(self, nodename: str) -> dict[str, Any]:
        """Inventory and usage of ``nodename``, for the resource tracker.

        Keys: ``vcpus``, ``memory_mb``, ``local_gb`` (totals);
        ``vcpus_used``, ``memory_mb_used``, ``local_gb_used`` (as the
        hypervisor sees them); ``hypervisor_type`` (str),
        ``hypervisor_version`` (int), ``hypervisor_hostname`` (=
        ``nodename``), ``cpu_info`` (JSON string), ``disk_available_least``
        (GiB), optionally ``host_ip``. Unknown node: ``ComputeNodeNotFound``.
        """

    def get_host_uptime(self) -> str:
        """The host's ``uptime`` line (os-hypervisors uptime)."""
        raise self._unsupported('get_host_uptime')

    # -- guest lifecycle ---------------------------------------------------
    @abc.abstractmethod
    def list_instance_uuids(self) -> list[str]:
        """UUIDs of every guest on this host, running or not."""

    def instance_exists(self, instance: Instance) -> bool:
        try:
            self.get_info(instance)
        except exception.InstanceNotFound:
            return False
        return True

    @abc.abstractmethod
    def spawn(self, context: Any, instance: Instance, image_meta: ImageMeta,
              injected_files: list[tuple[str, bytes]],
              admin_password: str | None, allocations: dict[str, Any],
              network_info: NetworkInfo,
              block_device_info: dict[str, Any] | None = None) -> None:
        """Create the guest from the image and start it.

        Returns once the guest runs. On failure the driver removes what it
        created and raises; the manager reschedules. ``allocations`` are
        the resources claimed for the instance (informative).
        """

    @abc.abstractmethod
    def destroy(self, context: Any, instance: Instance,
                network_info: NetworkInfo,
                block_device_info: dict[str, Any] | None = None,
                destroy_disks: bool = True) -> None:
        """Power off and remove the guest; keep its disks if told so.

        Idempotent: destroying a guest that does not exist succeeds.
        """

    def rebuild(self, context: Any, instance: Instance, image_meta: ImageMeta,
                injected_files: list[tuple[str, bytes]],
                admin_password: str | None, network_info: NetworkInfo,
                block_device_info: dict[str, Any] | None = None,
                preserve_ephemeral: bool = False) -> None:
        """Re-create the guest's root disk from ``image_meta`` and start it;
        ephemeral disks are blanked unless ``preserve_ephemeral``.

        Drivers without ``supports_rebuild``: the manager does ``destroy``
        then ``spawn`` instead.
        """
        raise self._unsupported('rebuild')

    @abc.abstractmethod
    def get_info(self, instance: Instance) -> contract.InstanceInfo:
        """The guest's power state; ``InstanceNotFound`` when absent."""

    # -- power -------------------------------------------------------------
    @abc.abstractmethod
    def reboot(self, context: Any, instance: Instance,
               network_info: NetworkInfo, reboot_type: str,
               block_device_info: dict[str, Any] | None = None) -> None:
        """Restart the guest; ``reboot_type`` is ``'SOFT'`` or ``'HARD'``.

        SOFT asks the guest OS and falls back to HARD when it does not stop
        in time; HARD restarts from any power state (the "fix it" action).
        """

    @abc.abstractmethod
    def power_off(self, instance: Instance, timeout: int = 0,
                  retry_interval: int = 0) -> None:
        """Stop the guest. ``timeout`` > 0: ask the guest OS first and wait
        up to ``timeout`` seconds (re-asking every ``retry_interval``), then
        pull the plug; 0: pull the plug at once. Stopping a stopped guest
        succeeds.
        """

    @abc.abstractmethod
    def power_on(self, context: Any, instance: Instance,
                 network_info: NetworkInfo,
                 block_device_info: dict[str, Any] | None = None) -> None:
        """Start a stopped guest; starting a running guest succeeds."""

    def pause(self, instance: Instance) -> None:
        """Freeze the guest's vCPUs, memory kept (RUNNING -> PAUSED)."""
        raise self._unsupported('pause')

    def unpause(self, instance: Instance) -> None:
        raise self._unsupported('unpause')

    def suspend(self, context: Any, instance: Instance) -> None:
        """Save the guest's memory to disk and stop it (-> SUSPENDED)."""
        raise self._unsupported('suspend')

    def resume(self, context: Any, instance: Instance,
               network_info: NetworkInfo,
               block_device_info: dict[str, Any] | None = None) -> None:
        raise self._unsupported('resume')

    def trigger_crash_dump(self, instance: Instance) -> None:
        """Inject an NMI so that the guest OS dumps its memory."""
        raise self._unsupported('trigger_crash_dump')

    def set_admin_password(self, instance: Instance, new_pass: str) -> None:
        raise self._unsupported('set_admin_password')

    # -- rescue ------------------------------------------------------------
    def rescue(self, context: Any, instance: Instance,
               network_info: NetworkInfo, image_meta: ImageMeta,
               rescue_password: str | None) -> None:
        """Boot the guest from ``image_meta`` with its disk attached."""
        raise self._unsupported('rescue')

    def unrescue(self, context: Any, instance: Instance) -> None:
        raise self._unsupported('unrescue')

    # -- console -----------------------------------------------------------
    def get_console_output(self, context: Any, instance: Instance) -> str:
        """The tail of the guest's serial console log ('' when empty)."""
        raise self._unsupported('get_console_output')

    def get_vnc_console(self, context: Any,
                        instance: Instance) -> dict[str, Any]:
        """``{'host', 'port', 'internal_access_path'}`` for the proxy."""
        raise self._unsupported('get_vnc_console')

    def get_serial_console(self, context: Any,
                           instance: Instance) -> dict[str, Any]:
        """``{'host', 'port', 'internal_access_path'}`` for the proxy."""
        raise self._unsupported('get_serial_console')

    # -- snapshots ---------------------------------------------------------
    def snapshot(self, context: Any, instance: Instance, image_id: str,
                 update_task_state: contract.UpdateTaskState,
                 image_api: ImageAPI) -> None:
        """Upload the guest's root disk as the data of image ``image_id``.

        Calls ``update_task_state`` as described in nova.virt.contract; the
        guest ends in the power state it had.
        """
        raise self._unsupported('snapshot')

    # -- events ------------------------------------------------------------
    def register_event_listener(self,
                                callback: EventListener | None) -> None:
        """Send every ``LifecycleEvent`` to ``callback`` (None: stop).

        The callback may run in any thread of the driver; it must be quick
        and must not raise (exceptions are logged and dropped).
        """
        self._event_listener = callback

    def emit_event(self, event: LifecycleEvent) -> None:
        listener = self._event_listener
        if listener is None:
            return
        try:
            listener(event)
        except Exception:
            LOG.exception('Lifecycle event listener failed on %s', event)


REBOOT_TYPES = ('SOFT', 'HARD')


def check_reboot_type(reboot_type: str) -> None:
    """Drivers call this first in ``reboot``."""
    if reboot_type not in REBOOT_TYPES:
        raise exception.Invalid(reason=f'reboot type {reboot_type!r} '
                                       'is not SOFT or HARD')


def available_driver_names() -> list[str]:
    """Names of the installed drivers, without importing them."""
    return sorted({ep.name for ep in
                   importlib.metadata.entry_points(group=NAMESPACE)})


def load_compute_driver(name: str | None = None, *,
                        image_api: ImageAPI | None = None) -> ComputeDriver:
    """Instantiate the driver called ``name`` (default: compute_driver).

    Fails with ``ComputeDriverNotFound`` (listing the installed names) or
    ``ComputeDriverLoadFailed`` so that a misconfigured nova-compute stops
    at start-up with a message an operator can act on.
    """
    name = name or CONF.compute_driver
    available = available_driver_names()
    if name not in available:
        raise exception.ComputeDriverNotFound(
            name=name, namespace=NAMESPACE,
            available=', '.join(available) or '(none)')

    def _failed(manager: Any, entry_point: Any, err: Exception) -> None:
        raise exception.ComputeDriverLoadFailed(
            name=name, reason=f'{type(err).__name__}: {err}') from err

    try:
        manager = stevedore_driver.DriverManager(
            NAMESPACE, name, invoke_on_load=True,
            invoke_kwds={'image_api': image_api},
            on_load_failure_callback=_failed)
    except stevedore_exception.NoMatches as e:
        # stevedore caches entry points per process: a driver installed
        # after the first load is only seen after a restart.
        raise exception.ComputeDriverLoadFailed(
            name=name, reason=f'{e}; restart the service to pick up newly '
                              'installed drivers') from e
    driver = manager.driver
    if not isinstance(driver, ComputeDriver):
        raise exception.ComputeDriverLoadFailed(
            name=name, reason=f'{type(driver).__name__} is not a '
                              'ComputeDriver')
    LOG.info('Loaded compute driver %s (%s)', name, type(driver).__name__)
    return driver
