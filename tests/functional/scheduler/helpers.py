"""Request specs and cloud set-ups for the scheduler functional tests."""

from __future__ import annotations

import datetime
from typing import Any

from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova.db.api import services
from tests.fixtures import factories


def spec(vcpus: int = 1, memory_mb: int = 512, root_gb: int = 1,
         **overrides: Any) -> dict[str, Any]:
    values = {
        'instance_uuid': uuidutils.generate_uuid(), 'num_instances': 1,
        'project_id': factories.PROJECT_ID, 'user_id': factories.USER_ID,
        'flavor': {'flavorid': '1', 'name': 'test', 'vcpus': vcpus,
                   'memory_mb': memory_mb, 'root_gb': root_gb,
                   'ephemeral_gb': 0, 'swap': 0, 'extra_specs': {}},
        'image': {'id': 'image-1', 'name': 'cirros', 'properties': {},
                  'min_ram': 0, 'min_disk': 0},
        'availability_zone': None, 'scheduler_hints': {},
        'instance_group': None, 'ignore_hosts': [], 'force_hosts': [],
        'force_nodes': [], 'requested_destination': None,
        'retry': {'num_attempts': 1, 'hosts': []},
    }
    values.update(overrides)
    return values


def make_node(ctxt: Any, host: str, vcpus: int = 8, memory_mb: int = 8192,
              disk_gb: int = 100, up: bool = True, **overrides: Any
              ) -> dict[str, Any]:
    """A node whose nova-compute service just sent a heartbeat (or a long
    time ago, with ``up=False``)."""
    node = factories.make_compute_node(
        ctxt, host=host, hypervisor_hostname=f'{host}-node', vcpus=vcpus,
        memory_mb=memory_mb, local_gb=disk_gb, **overrides)
    seen = timeutils.utcnow()
    if not up:
        seen -= datetime.timedelta(days=1)
    services.service_update(ctxt, node['service_id'],
                            {'last_seen_up': seen})
    return node


def select(scheduler: Any, ctxt: Any, request_spec: dict[str, Any],
           uuids: list[str] | None = None) -> list[list[dict[str, Any]]]:
    return scheduler.select_destinations(
        ctxt, request_spec, uuids or [request_spec['instance_uuid']])
