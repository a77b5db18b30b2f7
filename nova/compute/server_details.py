"""API-side bulk reads that a server body needs beyond the instance row.

Later microversions show what a server was asked to be when it was
created: its server group (2.71), the availability zone it is pinned to
(2.96) and its scheduler hints (2.100). They live in the request spec and
in group membership; each is read once per page of servers, not once per
server.
"""

from __future__ import annotations

from typing import Any

from nova import context as nova_context
from nova.db.api import request_specs as request_specs_db
from nova.db.api import server_groups as groups_db


def request_specs(context: nova_context.RequestContext,
                  instance_uuids: list[str]) -> dict[str, dict[str, Any]]:
    """{instance uuid: request spec}; servers without one are absent."""
    return request_specs_db.request_spec_get_by_instance_uuids(
        context.elevated(), instance_uuids)


def server_groups(context: nova_context.RequestContext,
                  instance_uuids: list[str]) -> dict[str, list[str]]:
    """{instance uuid: [group uuid]} (an instance is in one at most)."""
    return groups_db.instance_group_uuids_by_instances(
        context.elevated(), instance_uuids)


def pinned_availability_zone(spec: dict[str, Any] | None) -> str | None:
    """The zone the server was explicitly created (or unshelved) into."""
    return (spec or {}).get('availability_zone') or None


def scheduler_hints(spec: dict[str, Any] | None) -> dict[str, Any]:
    """The hints given at create, every value a list (as upstream's
    request spec keeps them: one hint may be given several times)."""
    hints = (spec or {}).get('scheduler_hints') or {}
    return {key: value if isinstance(value, list) else [value]
            for key, value in hints.items()}
