"""The scheduler's view of one request: the request_spec dict, checked
and with the derived values every filter would otherwise recompute.

Filters and weighers get a ``Request``; ``Request.raw`` is the dict as
the conductor sent it. Values that need the database (the hosts of the
instances named in hints, the hosts of the server group's members) are
filled in by ``nova.scheduler.host_manager.resolve_request_hosts`` before
filtering, so that filters never query.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from nova import exception

VCPU = 'VCPU'
MEMORY_MB = 'MEMORY_MB'
DISK_GB = 'DISK_GB'


def resources_from_flavor(flavor: Mapping[str, Any]) -> dict[str, int]:
    """What one instance of ``flavor`` claims, per resource class."""
    swap_gb = math.ceil((flavor.get('swap') or 0) / 1024)
    return {
        VCPU: int(flavor.get('vcpus') or 0),
        MEMORY_MB: int(flavor.get('memory_mb') or 0),
        DISK_GB: int((flavor.get('root_gb') or 0)
                     + (flavor.get('ephemeral_gb') or 0) + swap_gb),
    }


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


@dataclasses.dataclass
class Request:
    raw: dict[str, Any]
    instance_uuids: list[str]
    project_id: str | None
    flavor: dict[str, Any]
    extra_specs: dict[str, str]
    image: dict[str, Any]
    image_props: dict[str, Any]
    resources: dict[str, int]
    availability_zone: str | None
    hints: dict[str, Any]
    group: dict[str, Any] | None
    ignore_hosts: set[str]
    force_hosts: set[str]
    force_nodes: set[str]
    requested_destination: dict[str, Any] | None
    retry_hosts: set[tuple[str, str]]
    # Filled in by the host manager (hosts, not instance uuids):
    same_host_hosts: set[str] = dataclasses.field(default_factory=set)
    different_host_hosts: set[str] = dataclasses.field(default_factory=set)
    group_hosts: Counter = dataclasses.field(default_factory=Counter)

    @property
    def group_policy(self) -> str | None:
        return (self.group or {}).get('policy')

    def hint(self, name: str) -> Any:
        return self.hints.get(name)


def from_spec(request_spec: Mapping[str, Any],
              instance_uuids: list[str] | None = None) -> Request:
    """Build a Request; raises ``Invalid`` when the spec cannot be used."""
    spec = dict(request_spec)
    flavor = dict(spec.get('flavor') or {})
    if not flavor:
        raise exception.Invalid(reason='request_spec has no flavor')
    uuids = list(instance_uuids or [])
    if not uuids and spec.get('instance_uuid'):
        uuids = [spec['instance_uuid']]
    if not uuids:
        raise exception.Invalid(reason='no instance uuids to schedule')
    image = dict(spec.get('image') or {})
    hints = dict(spec.get('scheduler_hints') or {})
    retry = spec.get('retry') or {}
    destination = spec.get('requested_destination') or None
    return Request(
        raw=spec,
        instance_uuids=uuids,
        project_id=spec.get('project_id'),
        flavor=flavor,
        extra_specs=dict(flavor.get('extra_specs') or {}),
        image=image,
        image_props=dict(image.get('properties') or {}),
        resources=resources_from_flavor(flavor),
        availability_zone=spec.get('availability_zone') or None,
        hints=hints,
        group=spec.get('instance_group') or None,
        ignore_hosts=set(_as_list(spec.get('ignore_hosts'))),
        force_hosts=set(_as_list(spec.get('force_hosts'))),
        force_nodes=set(_as_list(spec.get('force_nodes'))),
        requested_destination=destination,
        retry_hosts={(pair[0], pair[1]) for pair in retry.get('hosts', [])},
    )
