"""The API side of a server's metadata and tags: scoped lookups, the
state and lock checks that guard changes, and the metadata quota.

Every function takes the server's uuid, looks the server up scoped to
the caller (a miss, or another project's server, is a 404) and returns
plain data for the controllers.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from nova import exception
from nova import quota
from nova.compute import api as compute_api
from nova.compute import task_states
from nova.compute import vm_states
from nova.db.api import instance_metadata as metadata_db
from nova.db.api import tags as tags_db
from nova.i18n import _

MAX_TAGS = 50

# States in which a server's metadata may change (no task running).
_METADATA_VM_STATES = (vm_states.ACTIVE, vm_states.PAUSED,
                       vm_states.SUSPENDED, vm_states.STOPPED,
                       vm_states.SHELVED, vm_states.SHELVED_OFFLOADED)
# Tags may also change while a task runs, but not while building,
# errored or being deleted.
_TAGS_VM_STATES = _METADATA_VM_STATES


def get_server(context: Any, server_id: str) -> dict[str, Any]:
    """The caller's server (any server for an admin), else 404."""
    return compute_api.API().get(context, server_id)


def _check_mutable(context: Any, instance: dict[str, Any], action: str,
                   vm_states_ok: Iterable[str],
                   need_idle: bool) -> None:
    if instance.get('locked') and not context.is_admin:
        raise exception.InstanceLocked(instance_uuid=instance['uuid'])
    task_state = instance.get('task_state')
    if task_state == task_states.DELETING or (need_idle and task_state):
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance['uuid'],
            attr='task_state', state=task_state)
    if instance.get('vm_state') not in vm_states_ok:
        raise exception.InstanceInvalidState(
            action=action, instance_uuid=instance['uuid'],
            attr='vm_state', state=instance.get('vm_state'))


# -- metadata --------------------------------------------------------------
def get_metadata(context: Any, instance: dict[str, Any]) -> dict[str, str]:
    return metadata_db.instance_metadata_get(context, instance['uuid'])


def update_metadata(context: Any, instance: dict[str, Any],
                    metadata: Mapping[str, str],
                    replace: bool = False) -> dict[str, str]:
    """Merge ``metadata`` into the server's (replace it if ``replace``).

    Refuses a result above the ``metadata_items`` quota with 403.
    """
    action = 'update_all' if replace else 'update'
    _check_mutable(context, instance, action, _METADATA_VM_STATES, True)
    current = get_metadata(context, instance)
    result = dict(metadata) if replace else {**current, **metadata}
    quota.check_deltas(context, instance['project_id'],
                       instance.get('user_id'), 'metadata_items',
                       len(result), current=0)
    return metadata_db.instance_metadata_update(
        context, instance['uuid'], metadata, delete=replace)


def delete_metadata_item(context: Any, instance: dict[str, Any],
                         key: str) -> None:
    _check_mutable(context, instance, 'delete', _METADATA_VM_STATES, True)
    if key not in get_metadata(context, instance):
        raise exception.NotFound(message=_(
            'Metadata item was not found'))
    metadata_db.instance_metadata_delete(context, instance['uuid'], key)


# -- tags ------------------------------------------------------------------
def get_tags(context: Any, instance: dict[str, Any]) -> list[str]:
    return tags_db.instance_tags_get(context, instance['uuid'])


def add_tag(context: Any, instance: dict[str, Any], tag: str) -> bool:
    """Add ``tag``; False when the server already had it."""
    _check_mutable(context, instance, 'update', _TAGS_VM_STATES, False)
    tags = get_tags(context, instance)
    if tag in tags:
        return False
    if len(tags) >= MAX_TAGS:
        raise exception.Invalid(reason=_(
            'The number of tags exceeded the per-server limit %d')
            % MAX_TAGS)
    tags_db.instance_tag_add(context, instance['uuid'], tag)
    return True


def set_tags(context: Any, instance: dict[str, Any],
             tags: Iterable[str]) -> list[str]:
    _check_mutable(context, instance, 'update_all', _TAGS_VM_STATES,
                   False)
    tags = list(tags)
    if len(set(tags)) > MAX_TAGS:
        raise exception.Invalid(reason=_(
            'The number of tags exceeded the per-server limit %d')
            % MAX_TAGS)
    return tags_db.instance_tags_set(context, instance['uuid'], tags)


def delete_tag(context: Any, instance: dict[str, Any], tag: str) -> None:
    _check_mutable(context, instance, 'delete', _TAGS_VM_STATES, False)
    tags_db.instance_tag_delete(context, instance['uuid'], tag)


def delete_all_tags(context: Any, instance: dict[str, Any]) -> None:
    _check_mutable(context, instance, 'delete_all', _TAGS_VM_STATES,
                   False)
    tags_db.instance_tags_delete_all(context, instance['uuid'])
