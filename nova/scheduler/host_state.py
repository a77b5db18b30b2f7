"""HostState: what the scheduler knows about one compute node.

Built in bulk by ``nova.scheduler.host_manager`` from plain rows, never
from ORM objects: a host state is read by every filter for every
request, so its attributes are plain values and the capacity figures
that filters compare against are precomputed.
"""

from __future__ import annotations

from typing import Any

from nova.scheduler.request import DISK_GB
from nova.scheduler.request import MEMORY_MB
from nova.scheduler.request import VCPU

_NO_UNITS: frozenset[str] = frozenset()


class HostState:
    """One compute node (host + nodename) as the scheduler sees it.

    Slotted, and sharing what nodes have in common (inventories,
    aggregates, cpu_info) between host states: 10,000 of them must not
    leave the garbage collector a million containers to walk.
    """

    __slots__ = (
        'host', 'nodename', 'compute_node_id', 'compute_node_uuid',
        'generation', 'hypervisor_type', 'hypervisor_version', 'host_ip',
        'cpu_info', 'service_disabled', 'service_up', 'inventories',
        'usages', 'aggregates', 'aggregate_metadata', 'availability_zone',
        'num_instances', 'num_io_ops', 'failed_builds', 'free_vcpus',
        'free_ram_mb', 'free_disk_gb', 'fit_limit', 'irregular_units',
        'limit_vcpus', 'limit_ram_mb', 'limit_disk_gb', 'regular_units')

    def __init__(self, host: str, nodename: str, compute_node_id: int,
                 compute_node_uuid: str, **attrs: Any) -> None:
        self.host = host
        self.nodename = nodename
        self.compute_node_id = compute_node_id
        self.compute_node_uuid = compute_node_uuid
        self.generation: int = attrs.get('generation', 0)
        self.hypervisor_type: str | None = attrs.get('hypervisor_type')
        self.hypervisor_version: int | None = attrs.get('hypervisor_version')
        self.host_ip: str | None = attrs.get('host_ip')
        self.cpu_info: dict[str, Any] = attrs.get('cpu_info') or {}
        self.service_disabled: bool = attrs.get('service_disabled', False)
        self.service_up: bool = attrs.get('service_up', True)
        # {resource class: inventory dict}, {resource class: used}
        self.inventories: dict[str, dict[str, Any]] = {}
        self.usages: dict[str, int] = {}
        # Aggregates: list of {'id', 'name', 'metadata'}; metadata merged
        # as {key: set of values} for filters that ask "any aggregate".
        self.aggregates: list[dict[str, Any]] = []
        self.aggregate_metadata: dict[str, set[str]] = {}
        self.availability_zone: str | None = None
        self.num_instances: int = attrs.get('num_instances', 0)
        self.num_io_ops: int = attrs.get('num_io_ops', 0)
        self.failed_builds: int = 0
        self.free_vcpus = self.free_ram_mb = self.free_disk_gb = 0.0
        # {resource class: largest amount a claim may take now}, and the
        # classes whose min_unit/step_size need the full test (see fits).
        self.fit_limit: dict[str, float] = {}
        self.irregular_units: frozenset[str] = _NO_UNITS
        # The same limits as attributes for the three standard classes:
        # an attribute read is what keeps a filter pass over 10,000 hosts
        # near a millisecond.
        self.limit_vcpus = self.limit_ram_mb = self.limit_disk_gb = -1.0
        self.regular_units = True
        self.set_resources(attrs.get('inventories') or {},
                           attrs.get('usages') or {})

    def __repr__(self) -> str:
        return (f'<HostState {self.host}/{self.nodename} '
                f'ram={self.free_ram_mb:g} vcpus={self.free_vcpus:g} '
                f'disk={self.free_disk_gb:g}>')

    def capacity(self, resource_class: str) -> float:
        """What claims may use in all: (total - reserved) * ratio."""
        inv = self.inventories.get(resource_class)
        if inv is None:
            return 0.0
        return (inv['total'] - inv['reserved']) * inv['allocation_ratio']

    def free(self, resource_class: str) -> float:
        return (self.capacity(resource_class)
                - self.usages.get(resource_class, 0))

    def set_resources(self, inventories: dict[str, dict[str, Any]],
                      usages: dict[str, int]) -> None:
        self.inventories = inventories
        self.usages = dict(usages)
        self._refresh_free()

    def _refresh_free(self) -> None:
        # Precomputed: the resource filters and weighers read these for
        # every host of every request, 10,000 hosts in a few ms.
        self.free_vcpus = self.free(VCPU)
        self.free_ram_mb = self.free(MEMORY_MB)
        self.free_disk_gb = self.free(DISK_GB)
        self.fit_limit = {rc: min(self.free(rc), inv['max_unit'])
                          for rc, inv in self.inventories.items()}
        irregular = [rc for rc, inv in self.inventories.items()
                     if inv['min_unit'] > 1 or inv['step_size'] > 1]
        self.irregular_units = (frozenset(irregular) if irregular
                                else _NO_UNITS)
        self.limit_vcpus = self.fit_limit.get(VCPU, -1.0)
        self.limit_ram_mb = self.fit_limit.get(MEMORY_MB, -1.0)
        self.limit_disk_gb = self.fit_limit.get(DISK_GB, -1.0)
        self.regular_units = not self.irregular_units

    def fits(self, resource_class: str, amount: int) -> bool:
        """The same test as the database claim, on the cached figures."""
        if not amount:
            return True
        if self.fit_limit.get(resource_class, -1) < amount:
            return False  # no inventory, not enough free, or > max_unit
        if resource_class in self.irregular_units:
            inv = self.inventories[resource_class]
            return (amount >= inv['min_unit']
                    and not amount % inv['step_size'])
        return True

    def consume(self, resources: dict[str, int], io_op: bool = True
                ) -> None:
        """Account for a claim this scheduler just made on the node.

        The next refresh replaces these figures with the database's; until
        then, multi-create and the next requests see the claim.
        """
        for resource_class, amount in resources.items():
            self.usages[resource_class] = (
                self.usages.get(resource_class, 0) + amount)
        self.num_instances += 1
        if io_op:
            self.num_io_ops += 1
        self._refresh_free()

    def set_aggregates(self, aggregates: list[dict[str, Any]],
                       default_az: str | None,
                       shared: dict[tuple[int, ...], Any] | None = None
                       ) -> None:
        """``shared`` caches the merged metadata per set of aggregates, so
        the hosts of one aggregate share one dict."""
        key = tuple(aggregate['id'] for aggregate in aggregates)
        cached = shared.get(key) if shared is not None else None
        if cached is None:
            merged: dict[str, set[str]] = {}
            for aggregate in aggregates:
                for meta_key, value in aggregate['metadata'].items():
                    merged.setdefault(meta_key, set()).add(value)
            zones = merged.get('availability_zone')
            cached = (aggregates, merged,
                      sorted(zones)[0] if zones else default_az)
            if shared is not None:
                shared[key] = cached
        self.aggregates, self.aggregate_metadata, self.availability_zone = (
            cached)

    @property
    def total_usable_ram_mb(self) -> float:
        return self.capacity(MEMORY_MB)

    @property
    def vcpus_total(self) -> float:
        return self.capacity(VCPU)

    @property
    def total_usable_disk_gb(self) -> float:
        return self.capacity(DISK_GB)
