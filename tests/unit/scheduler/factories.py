"""Host states and requests for filter and weigher tests, no database."""

from __future__ import annotations

import collections
import itertools
from typing import Any

from oslo_utils import uuidutils

from nova.scheduler import request as sched_request
from nova.scheduler.host_state import HostState

_ids = itertools.count(1)


def make_host(host: str = 'host1', nodename: str | None = None,
              vcpus: int = 8, memory_mb: int = 8192, disk_gb: int = 100,
              used: dict[str, int] | None = None,
              ratios: dict[str, float] | None = None,
              reserved: dict[str, int] | None = None,
              units: dict[str, dict[str, int]] | None = None,
              omit: tuple[str, ...] = (),
              aggregates: list[dict[str, str]] = (),
              default_az: str = 'nova', **attrs: Any) -> HostState:
    """A node with an inventory, usage and aggregates (metadata dicts).

    ``units`` overrides inventory fields per resource class (e.g.
    max_unit); ``omit`` leaves resource classes out of the inventory.
    """
    ratios = ratios or {}
    reserved = reserved or {}
    inventories = {}
    for rc, total in (('VCPU', vcpus), ('MEMORY_MB', memory_mb),
                      ('DISK_GB', disk_gb)):
        inventories[rc] = {'total': total, 'reserved': reserved.get(rc, 0),
                           'min_unit': 1, 'max_unit': total,
                           'step_size': 1,
                           'allocation_ratio': ratios.get(rc, 1.0),
                           **(units or {}).get(rc, {})}
    for rc in omit:
        del inventories[rc]
    node_id = next(_ids)
    state = HostState(host, nodename or f'{host}-node', node_id,
                      uuidutils.generate_uuid(), inventories=inventories,
                      usages=used or {}, **attrs)
    state.set_aggregates(
        [{'id': i, 'name': f'agg{i}', 'metadata': dict(metadata)}
         for i, metadata in enumerate(aggregates)], default_az)
    return state


def make_request(vcpus: int = 1, memory_mb: int = 512, root_gb: int = 1,
                 extra_specs: dict[str, str] | None = None,
                 image_props: dict[str, Any] | None = None,
                 group_hosts: dict[str, int] | None = None,
                 **spec: Any) -> sched_request.Request:
    """A Request from a spec with a small flavor; keys override."""
    raw = {'instance_uuid': uuidutils.generate_uuid(),
           'project_id': 'project-a', 'user_id': 'user-a',
           'flavor': {'flavorid': '1', 'name': 'small', 'vcpus': vcpus,
                      'memory_mb': memory_mb, 'root_gb': root_gb,
                      'ephemeral_gb': 0, 'swap': 0,
                      'extra_specs': extra_specs or {}},
           'image': {'id': 'image-1', 'name': 'cirros',
                     'properties': image_props or {}}}
    raw.update(spec)
    request = sched_request.from_spec(raw)
    request.group_hosts = collections.Counter(group_hosts or {})
    return request
