"""API-side flavor operations: lookup honouring access, create, delete,
description updates, extra specs and the access list of private flavors.

Visibility: admins see every flavor; anyone else sees the public ones,
the private ones their project was given access to, and (in lists) only
enabled ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oslo_utils import uuidutils

from nova import context as nova_context
from nova import exception
from nova.db.api import flavors as flavors_db
from nova.i18n import _

# Columns a list may be sorted by (``sort_key``).
SORT_KEYS = ('created_at', 'description', 'disabled', 'ephemeral_gb',
             'flavorid', 'id', 'is_public', 'memory_mb', 'name', 'root_gb',
             'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus')


def _visible(context: nova_context.RequestContext,
             flavor: dict[str, Any]) -> bool:
    return (context.is_admin or flavor['is_public'] or
            context.project_id in flavor.get('projects', ()))


def get_flavor_by_flavor_id(context: nova_context.RequestContext,
                            flavorid: str) -> dict[str, Any]:
    """The flavor the caller may use; FlavorNotFound for private flavors
    of other projects, so their existence does not leak."""
    flavor = flavors_db.flavor_get_by_flavor_id(context, str(flavorid))
    if not _visible(context, flavor):
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return flavor


def list_flavors(context: nova_context.RequestContext,
                 is_public: bool | None = True,
                 min_memory_mb: int | None = None,
                 min_root_gb: int | None = None,
                 sort_key: str = 'flavorid', sort_dir: str = 'asc',
                 limit: int | None = None, marker: str | None = None
                 ) -> list[dict[str, Any]]:
    """Flavors visible to the caller.

    ``is_public`` (admins only; others always get public + shared):
    True = public ones plus those shared with the caller's project,
    False = private only, None = all.
    """
    filters: dict[str, Any] = {}
    if min_memory_mb is not None:
        filters['min_memory_mb'] = min_memory_mb
    if min_root_gb is not None:
        filters['min_root_gb'] = min_root_gb
    if context.is_admin:
        filters['is_public'] = is_public
        if is_public:
            filters['project_id'] = context.project_id
    else:
        filters.update(is_public=True, project_id=context.project_id,
                       disabled=False)
    try:
        return flavors_db.flavor_get_all(context, filters=filters,
                                         sort_key=sort_key,
                                         sort_dir=sort_dir, limit=limit,
                                         marker=marker)
    except exception.MarkerNotFound:
        raise exception.Invalid(
            reason=_('marker [%s] not found') % marker) from None


def create_flavor(context: nova_context.RequestContext, name: str,
                  memory_mb: int, vcpus: int, root_gb: int,
                  ephemeral_gb: int = 0, swap: int = 0,
                  flavorid: str | None = None, rxtx_factor: float = 1.0,
                  is_public: bool = True,
                  description: str | None = None) -> dict[str, Any]:
    """A new flavor; no ``flavorid`` means a generated UUID."""
    if flavorid is None or flavorid == '':
        flavorid = uuidutils.generate_uuid()
    values = {
        'name': name, 'flavorid': str(flavorid), 'memory_mb': memory_mb,
        'vcpus': vcpus, 'root_gb': root_gb, 'ephemeral_gb': ephemeral_gb,
        'swap': swap, 'rxtx_factor': rxtx_factor, 'is_public': is_public,
        'description': description, 'disabled': False,
    }
    return flavors_db.flavor_create(context, values)


def update_description(context: nova_context.RequestContext, flavorid: str,
                       description: str | None) -> dict[str, Any]:
    return flavors_db.flavor_update(context, flavorid,
                                    {'description': description})


def delete_flavor(context: nova_context.RequestContext,
                  flavorid: str) -> None:
    """Delete a flavor; servers keep their own copy of its sizes."""
    flavors_db.flavor_destroy(context, flavorid)


def get_extra_specs(context: nova_context.RequestContext,
                    flavorid: str) -> dict[str, str]:
    return get_flavor_by_flavor_id(context, flavorid)['extra_specs']


def get_extra_spec(context: nova_context.RequestContext, flavorid: str,
                   key: str) -> str:
    specs = get_extra_specs(context, flavorid)
    if key not in specs:
        raise exception.FlavorExtraSpecNotFound(flavor_id=flavorid, key=key)
    return specs[key]


def update_extra_specs(context: nova_context.RequestContext, flavorid: str,
                       specs: Mapping[str, str]) -> dict[str, str]:
    """Add or change keys; returns all the flavor's extra specs."""
    return flavors_db.flavor_extra_specs_update_or_create(context, flavorid,
                                                          specs)


def delete_extra_spec(context: nova_context.RequestContext, flavorid: str,
                      key: str) -> None:
    flavors_db.flavor_extra_spec_delete(context, flavorid, key)


def list_access(context: nova_context.RequestContext,
                flavorid: str) -> list[str]:
    """Projects given access to a private flavor."""
    flavor = flavors_db.flavor_get_by_flavor_id(context, flavorid)
    if flavor['is_public']:
        raise exception.NotFound(
            message=_('Access list not available for public flavors.'))
    return flavor['projects']


def add_access(context: nova_context.RequestContext, flavorid: str,
               project_id: str, refuse_public: bool = True) -> list[str]:
    """Give a project access; ``refuse_public`` (from 2.7) makes adding
    to a public flavor a conflict instead of a pointless row."""
    flavor = flavors_db.flavor_get_by_flavor_id(context, flavorid)
    if refuse_public and flavor['is_public']:
        raise exception.Conflict(
            reason=_('Can not add access to a public flavor.'))
    return flavors_db.flavor_access_add(context, flavorid, project_id)


def remove_access(context: nova_context.RequestContext, flavorid: str,
                  project_id: str) -> list[str]:
    return flavors_db.flavor_access_remove(context, flavorid, project_id)
