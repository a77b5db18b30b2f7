"""API-side operations on server groups (os-server-groups).

Quota: ``server_groups`` per project and ``server_group_members`` per
group are counted resources of ``nova.quota``. Counting can race with a
concurrent create, so a create counts again afterwards and backs out
when together they went over.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nova import context as nova_context
from nova import exception
from nova import quota
from nova.db.api import server_groups as groups_db

POLICIES = ('affinity', 'anti-affinity')
SOFT_POLICIES = ('soft-affinity', 'soft-anti-affinity')


def list_groups(context: nova_context.RequestContext,
                all_projects: bool = False, limit: int | None = None,
                offset: int = 0) -> list[dict[str, Any]]:
    """Groups of the caller's project (of every project if asked)."""
    project_id = None if all_projects else context.project_id
    groups = groups_db.instance_group_get_all(context,
                                              project_id=project_id)
    end = None if limit is None else offset + limit
    return groups[offset:end]


def get_group(context: nova_context.RequestContext,
              uuid: str) -> dict[str, Any]:
    """A group visible to the caller: own project, or any for admins.

    Another project's group is "not found", never "forbidden": a member
    must not learn that it exists.
    """
    group = groups_db.instance_group_get(context, uuid)
    if not context.is_admin and group['project_id'] != context.project_id:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)
    return group


def create_group(context: nova_context.RequestContext, name: str,
                 policy: str, rules: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """Create a group in the caller's project, within quota."""
    project_id, user_id = context.project_id, context.user_id
    quota.check_deltas(context, project_id, user_id, 'server_groups', 1)
    group = groups_db.instance_group_create(
        context, {'name': name, 'policy': policy, 'rules': rules or {},
                  'project_id': project_id, 'user_id': user_id})
    limit = quota.get_limits(context, project_id,
                             user_id)['server_groups']
    if limit != quota.UNLIMITED and len(groups_db.instance_group_get_all(
            context, project_id=project_id)) > limit:
        groups_db.instance_group_delete(context, group['uuid'])
        raise exception.OverQuota(overs='server_groups')
    return group


def delete_group(context: nova_context.RequestContext, uuid: str) -> None:
    get_group(context, uuid)
    groups_db.instance_group_delete(context, uuid)


def add_members(context: nova_context.RequestContext, group_uuid: str,
                instance_uuids: Iterable[str]) -> list[str]:
    """Add instances to a group within ``server_group_members`` quota.

    Called by the servers API at create time; returns all members.
    """
    group = get_group(context, group_uuid)
    new = [uuid for uuid in dict.fromkeys(instance_uuids)
           if uuid not in group['members']]
    if new:
        quota.check_deltas(context, group['project_id'], group['user_id'],
                           'server_group_members', len(new),
                           current=len(group['members']))
    return groups_db.instance_group_members_add(context, group_uuid, new)
