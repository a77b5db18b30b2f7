"""What an instance carries while it is being resized or migrated.

Kept in system_metadata (strings) so that any service can pick the move
up: the flavors before and after, the vm_state to return to, and the
quota still held beyond what the instance's size columns account for.

Quota invariant during a move: the project's reserved cores/ram equal
the instance's size columns plus ``move_quota_extra``, i.e. the larger
of the two flavors. Every step that changes the columns adjusts the
extra in the same transaction, so a delete at any point releases
exactly what is held.
"""

from __future__ import annotations

import json
from typing import Any

OLD_FLAVOR = 'move_old_flavor'
NEW_FLAVOR = 'move_new_flavor'
OLD_VM_STATE = 'move_old_vm_state'
QUOTA_EXTRA = 'move_quota_extra'
KEYS = (OLD_FLAVOR, NEW_FLAVOR, OLD_VM_STATE, QUOTA_EXTRA)


def _sysmeta(instance: dict[str, Any]) -> dict[str, str]:
    return dict(instance.get('system_metadata') or {})


def start(instance: dict[str, Any], old_flavor: dict[str, Any],
          new_flavor: dict[str, Any]) -> dict[str, str]:
    """system_metadata for a move that starts (columns still old)."""
    meta = _sysmeta(instance)
    meta[OLD_FLAVOR] = json.dumps(old_flavor)
    meta[NEW_FLAVOR] = json.dumps(new_flavor)
    meta[OLD_VM_STATE] = instance['vm_state']
    meta[QUOTA_EXTRA] = json.dumps(_positive(old_flavor, new_flavor))
    return meta


def old_flavor(instance: dict[str, Any]) -> dict[str, Any] | None:
    value = _sysmeta(instance).get(OLD_FLAVOR)
    return json.loads(value) if value else None


def new_flavor(instance: dict[str, Any]) -> dict[str, Any] | None:
    value = _sysmeta(instance).get(NEW_FLAVOR)
    return json.loads(value) if value else None


def old_vm_state(instance: dict[str, Any]) -> str | None:
    return _sysmeta(instance).get(OLD_VM_STATE)


def quota_extra(instance: dict[str, Any]) -> dict[str, int]:
    value = _sysmeta(instance).get(QUOTA_EXTRA)
    return json.loads(value) if value else {}


def with_quota_extra(instance: dict[str, Any],
                     extra: dict[str, int]) -> dict[str, str]:
    meta = _sysmeta(instance)
    meta[QUOTA_EXTRA] = json.dumps(extra)
    return meta


def cleared(instance: dict[str, Any]) -> dict[str, str]:
    """system_metadata once the move is over."""
    return {k: v for k, v in _sysmeta(instance).items() if k not in KEYS}


def quota_deltas(frm: dict[str, Any], to: dict[str, Any]) -> dict[str, int]:
    """Signed cores/ram change from one flavor to another."""
    return {'cores': int(to['vcpus']) - int(frm['vcpus']),
            'ram': int(to['memory_mb']) - int(frm['memory_mb'])}


def _positive(frm: dict[str, Any], to: dict[str, Any]) -> dict[str, int]:
    return {k: max(v, 0) for k, v in quota_deltas(frm, to).items()}


def extra_after_columns_become(instance_flavor: dict[str, Any],
                               other: dict[str, Any]) -> dict[str, int]:
    """The extra to hold once the columns show ``instance_flavor`` while
    the larger of it and ``other`` stays reserved."""
    return _positive(instance_flavor, other)


def flavor_columns(flavor: dict[str, Any]) -> dict[str, Any]:
    """Instance column values (and the kept snapshot) for ``flavor``."""
    return {'instance_type_id': flavor['id'], 'vcpus': flavor['vcpus'],
            'memory_mb': flavor['memory_mb'], 'root_gb': flavor['root_gb'],
            'ephemeral_gb': flavor['ephemeral_gb'],
            'swap': flavor.get('swap') or 0,
            'extra': {'flavor': flavor}}
