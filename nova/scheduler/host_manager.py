"""Load host states in bulk, cache them, keep them fresh.

Loading is a fixed number of SELECTs whatever the number of nodes
(nodes+services, inventories, usages, aggregates, aggregate hosts,
aggregate metadata, instance counts), through SQLAlchemy Core rows, not ORM
objects: at 10,000 nodes the ORM alone would cost more than the whole
request budget.

Freshness: a full reload in the background every ``[filter_scheduler]
host_state_full_reload_interval`` seconds (and when new nodes appear);
in between, every request reads ``(id, generation)`` of the nodes
updated in the last few seconds and reloads inventory and usage of those
whose generation moved (every claim and inventory change bumps it). A
stale view never overcommits a node, since the claim itself checks
capacity in the database; it only costs a lost claim and a try on the
next host.
"""

from __future__ import annotations

import collections
import datetime
import functools
import threading
import time
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import timeutils

from nova import context as nova_context
from nova import servicegroup
from nova.db import engine
from nova.db import models
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

# Instances in these task states (or building) keep a host's disks and
# network busy; IoOpsFilter and IoOpsWeigher count them.
IO_TASK_STATES = ('resize_migrating', 'rebuilding', 'resize_prep',
                  'image_snapshot', 'image_backup', 'rescuing',
                  'unshelving')

_CHUNK = 500  # ids per IN (...) list, well under every backend's limit

# Seconds of overlap between incremental scans: updated_at comes from the
# writers' clocks and is set before their commit, so a change may become
# visible a little after the time it carries.
CLOCK_MARGIN = 5.0

# {node id: {resource class: inventory fields}}, {node id: {rc: used}}
Inventories = dict[int, dict[str, dict[str, Any]]]
Usages = dict[int, dict[str, int]]

_CN = models.ComputeNode.__table__
_SVC = models.Service.__table__
_INV = models.Inventory.__table__
_ALLOC = models.Allocation.__table__
_AGG = models.Aggregate.__table__
_AGG_HOST = models.AggregateHost.__table__
_AGG_META = models.AggregateMetadata.__table__
_INST = models.Instance.__table__


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


_INVENTORY_KEYS = ('total', 'reserved', 'min_unit', 'max_unit',
                   'step_size', 'allocation_ratio')


@functools.lru_cache(maxsize=1024)
def _decode(cpu_info: str | None) -> dict[str, Any]:
    """Decoded cpu_info, one shared dict per distinct text (read-only)."""
    if not cpu_info:
        return {}
    try:
        value = jsonutils.loads(cpu_info)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _resources(session: Any, ids: list[int] | None
               ) -> tuple[Inventories, Usages]:
    """Inventories and usages of the nodes ``ids`` (None: all)."""
    inventories: dict[int, dict[str, dict[str, Any]]] = (
        collections.defaultdict(dict))
    usages: dict[int, dict[str, int]] = collections.defaultdict(dict)
    # Nodes of one model have equal inventories: share the dicts (they
    # are never modified, only replaced).
    interned: dict[tuple[Any, ...], dict[str, Any]] = {}
    inv_stmt = sa.select(_INV.c.compute_node_id, _INV.c.resource_class,
                         _INV.c.total, _INV.c.reserved, _INV.c.min_unit,
                         _INV.c.max_unit, _INV.c.step_size,
                         _INV.c.allocation_ratio)
    use_stmt = (sa.select(_ALLOC.c.compute_node_id, _ALLOC.c.resource_class,
                          sa.func.sum(_ALLOC.c.used))
                .group_by(_ALLOC.c.compute_node_id, _ALLOC.c.resource_class))
    batches: Iterable[list[int] | None] = [None] if ids is None \
        else _chunks(ids)
    for batch in batches:
        inv_q, use_q = inv_stmt, use_stmt
        if batch is not None:
            inv_q = inv_q.where(_INV.c.compute_node_id.in_(batch))
            use_q = use_q.where(_ALLOC.c.compute_node_id.in_(batch))
        for node_id, *fields in session.execute(inv_q):
            inventory = interned.get(tuple(fields))
            if inventory is None:
                inventory = interned[tuple(fields)] = dict(
                    zip(_INVENTORY_KEYS, fields[1:], strict=True))
            inventories[node_id][fields[0]] = inventory
        for node_id, rc, used in session.execute(use_q):
            usages[node_id][rc] = int(used)
    by_content: dict[tuple[Any, ...], dict[str, dict[str, Any]]] = {}
    for node_id, node_inventory in inventories.items():
        key = tuple((rc, id(inv)) for rc, inv in sorted(
            node_inventory.items()))
        inventories[node_id] = by_content.setdefault(key, node_inventory)
    return inventories, usages


def _aggregates_by_host(session: Any) -> dict[str, list[dict[str, Any]]]:
    aggregates = {row.id: {'id': row.id, 'name': row.name, 'metadata': {}}
                  for row in session.execute(
                      sa.select(_AGG.c.id, _AGG.c.name))}
    for agg_id, key, value in session.execute(
            sa.select(_AGG_META.c.aggregate_id, _AGG_META.c.key,
                      _AGG_META.c.value)):
        aggregates[agg_id]['metadata'][key] = value
    by_host: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for agg_id, host in session.execute(
            sa.select(_AGG_HOST.c.aggregate_id, _AGG_HOST.c.host)
            .order_by(_AGG_HOST.c.aggregate_id)):
        by_host[host].append(aggregates[agg_id])
    return by_host


def _instance_counts(session: Any) -> dict[tuple[str, str], tuple[int, int]]:
    io = sa.case((sa.or_(_INST.c.vm_state == 'building',
                         _INST.c.task_state.in_(IO_TASK_STATES)), 1),
                 else_=0)
    stmt = (sa.select(_INST.c.host, _INST.c.node, sa.func.count(),
                      sa.func.sum(io))
            .where(_INST.c.deleted == 0, _INST.c.host.is_not(None))
            .group_by(_INST.c.host, _INST.c.node))
    return {(host, node): (int(count), int(io_ops or 0))
            for host, node, count, io_ops in session.execute(stmt)}


@engine.reader
def load_host_states(context: Any) -> dict[int, HostState]:
    """Every compute node as a HostState, in seven SELECTs."""
    session = context.session
    stmt = (sa.select(_CN.c.id, _CN.c.uuid, _CN.c.host,
                      _CN.c.hypervisor_hostname, _CN.c.hypervisor_type,
                      _CN.c.hypervisor_version, _CN.c.host_ip,
                      _CN.c.cpu_info, _CN.c.generation, _SVC.c.disabled,
                      _SVC.c.forced_down, _SVC.c.last_seen_up,
                      _SVC.c.updated_at, _SVC.c.created_at,
                      _SVC.c.id.label('service_id'))
            .select_from(_CN.outerjoin(_SVC, _SVC.c.id == _CN.c.service_id))
            .order_by(_CN.c.id))
    inventories, usages = _resources(session, None)
    by_host = _aggregates_by_host(session)
    counts = _instance_counts(session)
    default_az = CONF.default_availability_zone
    shared: dict[tuple[int, ...], Any] = {}
    states = {}
    for row in session.execute(stmt):
        service = row._mapping
        num, io_ops = counts.get((row.host, row.hypervisor_hostname), (0, 0))
        state = HostState(
            row.host, row.hypervisor_hostname, row.id, row.uuid,
            generation=row.generation, hypervisor_type=row.hypervisor_type,
            hypervisor_version=row.hypervisor_version, host_ip=row.host_ip,
            cpu_info=_decode(row.cpu_info),
            # A node without a service record cannot be told to build.
            service_disabled=(row.service_id is None
                              or bool(row.disabled)),
            service_up=(row.service_id is not None
                        and servicegroup.is_up(service)),
            inventories=inventories.get(row.id, {}),
            usages=usages.get(row.id, {}),
            num_instances=num, num_io_ops=io_ops)
        state.set_aggregates(by_host.get(row.host, []), default_az, shared)
        states[row.id] = state
    return states


@engine.reader
def load_changes(context: Any, since: datetime.datetime,
                 known: dict[int, HostState]
                 ) -> tuple[dict[int, int], Inventories, Usages, bool]:
    """Generations, inventories and usages of the known nodes changed
    since ``since`` (one transaction, at most three SELECTs), and whether
    unknown (new) nodes showed up, which only a full reload can add."""
    session = context.session
    # Every claim and inventory change bumps the generation with a Core
    # UPDATE, which also sets updated_at (the column's onupdate); a new
    # node gets its inventory the same way.
    recent = session.execute(
        sa.select(_CN.c.id, _CN.c.generation)
        .where(_CN.c.updated_at >= since)).all()
    changed = {node_id: gen for node_id, gen in recent
               if node_id in known and known[node_id].generation != gen}
    new_nodes = any(node_id not in known for node_id, _ in recent)
    if not changed:
        return changed, {}, {}, new_nodes
    inventories, usages = _resources(session, sorted(changed))
    return changed, inventories, usages, new_nodes


@engine.reader
def node_resources(context: Any, ids: list[int]
                   ) -> tuple[Inventories, Usages]:
    return _resources(context.session, ids)


@engine.reader
def instance_hosts(context: Any, uuids: Iterable[str]) -> dict[str, str]:
    """{instance uuid: host} of the live, placed instances in ``uuids``."""
    uuids = sorted(set(uuids))
    result: dict[str, str] = {}
    for start in range(0, len(uuids), _CHUNK):
        result.update(context.session.execute(
            sa.select(_INST.c.uuid, _INST.c.host)
            .where(_INST.c.uuid.in_(uuids[start:start + _CHUNK]),
                   _INST.c.deleted == 0, _INST.c.host.is_not(None))).all())
    return result


def resolve_request_hosts(context: Any, request: Request) -> None:
    """Turn the instance uuids of hints and group into hosts (one query)."""
    same = _uuid_list(request.hint('same_host'))
    different = _uuid_list(request.hint('different_host'))
    group = request.group or {}
    members = [uuid for uuid in group.get('members') or []
               if uuid not in request.instance_uuids]
    wanted = same + different + members
    hosts = instance_hosts(context, wanted) if wanted else {}
    request.same_host_hosts = {hosts[u] for u in same if u in hosts}
    request.different_host_hosts = {hosts[u] for u in different
                                    if u in hosts}
    if members:
        request.group_hosts = collections.Counter(
            hosts[u] for u in members if u in hosts)
    else:
        request.group_hosts = collections.Counter(group.get('hosts') or [])


def _uuid_list(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


class HostManager:
    """The cached host states of one scheduler process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[int, HostState] = {}
        self._loaded_at: float | None = None
        self._scanned_at: datetime.datetime | None = None
        self._reloading = False
        # host -> recent build failures (BuildFailureWeigher); in memory:
        # a restarted scheduler forgives every host.
        self.failed_builds: collections.Counter = collections.Counter()
        self._failures_applied = False

    def note_build_failure(self, host: str) -> None:
        self.failed_builds[host] += 1

    def note_build_success(self, host: str) -> None:
        self.failed_builds.pop(host, None)

    def invalidate(self) -> None:
        with self._lock:
            self._loaded_at = None

    def get_host_states(self, context: Any) -> list[HostState]:
        interval = CONF.filter_scheduler.host_state_full_reload_interval
        with self._lock:
            if self._loaded_at is None or interval == 0:
                self._full_reload(context)
            else:
                new_nodes = self._refresh_changed(context)
                due = time.monotonic() - self._loaded_at >= interval
                if (due or new_nodes) and not self._reloading:
                    # Stale-while-revalidate: a full load of 10,000 nodes
                    # takes a second or more; no request should wait.
                    # Deleted nodes linger until then: a claim on one
                    # fails cleanly and the next host is tried.
                    self._reloading = True
                    threading.Thread(target=self._background_reload,
                                     daemon=True).start()
            states = list(self._states.values())
        self._apply_failures(states)
        return states

    def _full_reload(self, context: Any) -> None:
        scanned_at = timeutils.utcnow()
        self._states = load_host_states(context)
        self._loaded_at = time.monotonic()
        self._scanned_at = scanned_at

    def _background_reload(self) -> None:
        try:
            scanned_at = timeutils.utcnow()
            states = load_host_states(nova_context.get_admin_context())
            with self._lock:
                self._states = states
                self._loaded_at = time.monotonic()
                self._scanned_at = scanned_at
        except Exception:  # noqa: BLE001 - the next request retries
            LOG.exception('Reloading the host states failed')
        finally:
            self._reloading = False

    def _apply_failures(self, states: list[HostState]) -> None:
        failed = self.failed_builds
        if not failed and not self._failures_applied:
            return  # the common case: skip a pass over every host
        for state in states:
            state.failed_builds = failed.get(state.host, 0)
        self._failures_applied = bool(failed)

    def refresh_node(self, context: Any, state: HostState) -> None:
        """Re-read one node's resources, e.g. after losing a claim on it."""
        inventories, usages = node_resources(context,
                                             [state.compute_node_id])
        state.set_resources(inventories.get(state.compute_node_id, {}),
                            usages.get(state.compute_node_id, {}))

    def _refresh_changed(self, context: Any) -> bool:
        """Re-read the nodes whose generation moved; True when new nodes
        appeared (they need a full reload for services and aggregates).
        """
        scanned_at = timeutils.utcnow()
        since = self._scanned_at - datetime.timedelta(seconds=CLOCK_MARGIN)
        generations, inventories, usages, new_nodes = load_changes(
            context, since, self._states)
        for node_id, generation in generations.items():
            state = self._states[node_id]
            state.set_resources(inventories.get(node_id, {}),
                                usages.get(node_id, {}))
            state.generation = generation
        self._scanned_at = scanned_at
        return new_nodes
