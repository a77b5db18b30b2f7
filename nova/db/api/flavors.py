"""Flavors, their extra specs and the projects allowed to use them.

A flavor dict carries its ``extra_specs`` ({key: value}) and
``projects`` (project ids with access; meaningful when not public).
Functions look flavors up by ``flavorid``, the id API users see, except
``flavor_get`` which takes the internal integer id stored in instances.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _to_dict(flavor: models.Flavor) -> dict[str, Any]:
    values = flavor.to_dict()
    values['extra_specs'] = {spec.key: spec.value
                             for spec in flavor.extra_specs}
    values['projects'] = [access.project_id for access in flavor.projects]
    return values


def _get(context: Any, flavorid: str) -> models.Flavor:
    flavor = context.session.scalars(
        sa.select(models.Flavor)
        .where(models.Flavor.flavorid == flavorid)).first()
    if flavor is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return flavor


@engine.writer
def flavor_create(context: Any, values: Mapping[str, Any],
                  projects: Iterable[str] = ()) -> dict[str, Any]:
    """Create a flavor; ``values`` may hold ``extra_specs`` (a dict)."""
    values = dict(values)
    specs = values.pop('extra_specs', None) or {}
    flavor = models.Flavor(**values)
    flavor.extra_specs = [models.FlavorExtraSpec(key=key, value=value)
                          for key, value in specs.items()]
    flavor.projects = [models.FlavorProject(project_id=project_id)
                       for project_id in sorted(set(projects))]
    context.session.add(flavor)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry as exc:
        field = 'flavorid' if 'flavorid' in (exc.columns or ()) else 'name'
        raise exception.FlavorExists(field=field,
                                     value=values.get(field)) from exc
    return _to_dict(flavor)


@engine.reader
def flavor_get(context: Any, flavor_id: int) -> dict[str, Any]:
    flavor = context.session.get(models.Flavor, flavor_id)
    if flavor is None:
        raise exception.FlavorNotFound(flavor_id=flavor_id)
    return _to_dict(flavor)


@engine.reader
def flavor_get_by_flavor_id(context: Any, flavorid: str) -> dict[str, Any]:
    return _to_dict(_get(context, flavorid))


@engine.reader
def flavor_get_by_name(context: Any, name: str) -> dict[str, Any]:
    flavor = context.session.scalars(
        sa.select(models.Flavor).where(models.Flavor.name == name)).first()
    if flavor is None:
        raise exception.FlavorNotFound(flavor_id=name)
    return _to_dict(flavor)


@engine.reader
def flavor_get_all(context: Any, filters: Mapping[str, Any] | None = None,
                   sort_key: str = 'flavorid', sort_dir: str = 'asc',
                   limit: int | None = None, marker: str | None = None
                   ) -> list[dict[str, Any]]:
    """Flavors matching ``filters``, sorted and paged by ``flavorid``.

    ``filters``: ``min_memory_mb``, ``min_root_gb``, ``disabled`` (bool),
    ``is_public`` (True: public only, False: private only, None: both),
    ``project_id`` (with ``is_public`` unset or True: public flavors plus
    the private ones the project has access to).
    """
    filters = dict(filters or {})
    table = models.Flavor
    stmt = sa.select(table)
    if 'min_memory_mb' in filters:
        stmt = stmt.where(table.memory_mb >= filters['min_memory_mb'])
    if 'min_root_gb' in filters:
        stmt = stmt.where(table.root_gb >= filters['min_root_gb'])
    if filters.get('disabled') is not None:
        stmt = stmt.where(table.disabled == filters['disabled'])
    is_public = filters.get('is_public')
    project_id = filters.get('project_id')
    if project_id is not None and is_public is not False:
        shared = (sa.select(models.FlavorProject.flavor_id)
                  .where(models.FlavorProject.project_id == project_id))
        stmt = stmt.where(sa.or_(table.is_public.is_(True),
                                 table.id.in_(shared)))
    elif is_public is not None:
        stmt = stmt.where(table.is_public == is_public)
    marker_row = None
    if marker is not None:
        marker_row = context.session.scalars(
            sa.select(table).where(table.flavorid == marker)).first()
        if marker_row is None:
            raise exception.MarkerNotFound(marker=marker)
    stmt = utils.paginate(stmt, table, limit, [sort_key], [sort_dir],
                          marker_row)
    return [_to_dict(flavor) for flavor in context.session.scalars(stmt)]


@engine.writer
def flavor_update(context: Any, flavorid: str, values: Mapping[str, Any]
                  ) -> dict[str, Any]:
    """Change mutable fields; a flavor's resources never change."""
    allowed = {'description', 'disabled', 'is_public'}
    if set(values) - allowed:
        raise exception.Invalid(
            reason=f'only {sorted(allowed)} of a flavor can change')
    flavor = _get(context, flavorid)
    for key, value in values.items():
        setattr(flavor, key, value)
    context.session.flush()
    return _to_dict(flavor)


@engine.writer
def flavor_destroy(context: Any, flavorid: str) -> None:
    """Delete a flavor with its extra specs and access list."""
    result = context.session.execute(
        sa.delete(models.Flavor).where(models.Flavor.flavorid == flavorid))
    if result.rowcount == 0:
        raise exception.FlavorNotFound(flavor_id=flavorid)


@engine.reader
def flavor_extra_specs_get(context: Any, flavorid: str) -> dict[str, str]:
    return _to_dict(_get(context, flavorid))['extra_specs']


# A racer adding the same key makes our INSERT a duplicate; the retry then
# finds the key and updates it.
@utils.retry_on_deadlock(also=(db_exc.DBDuplicateEntry,))
@engine.writer
def flavor_extra_specs_update_or_create(context: Any, flavorid: str,
                                        specs: Mapping[str, str]
                                        ) -> dict[str, str]:
    """Merge ``specs`` into the flavor's extra specs; returns them all."""
    flavor = _get(context, flavorid)
    existing = {spec.key: spec for spec in flavor.extra_specs}
    for key, value in specs.items():
        if key in existing:
            existing[key].value = value
        else:
            flavor.extra_specs.append(
                models.FlavorExtraSpec(key=key, value=value))
    context.session.flush()
    return _to_dict(flavor)['extra_specs']


@engine.writer
def flavor_extra_spec_delete(context: Any, flavorid: str, key: str) -> None:
    flavor = _get(context, flavorid)
    result = context.session.execute(
        sa.delete(models.FlavorExtraSpec)
        .where(models.FlavorExtraSpec.flavor_id == flavor.id,
               models.FlavorExtraSpec.key == key))
    if result.rowcount == 0:
        raise exception.FlavorExtraSpecNotFound(flavor_id=flavorid, key=key)


@engine.reader
def flavor_access_get_by_flavor_id(context: Any, flavorid: str
                                   ) -> list[str]:
    return _to_dict(_get(context, flavorid))['projects']


@engine.writer
def flavor_access_add(context: Any, flavorid: str, project_id: str
                      ) -> list[str]:
    flavor = _get(context, flavorid)
    context.session.add(models.FlavorProject(flavor_id=flavor.id,
                                             project_id=project_id))
    utils.flush(context.session, lambda: exception.FlavorAccessExists(
        flavor_id=flavorid, project_id=project_id))
    context.session.refresh(flavor, ['projects'])
    return _to_dict(flavor)['projects']


@engine.writer
def flavor_access_remove(context: Any, flavorid: str, project_id: str
                         ) -> list[str]:
    flavor = _get(context, flavorid)
    result = context.session.execute(
        sa.delete(models.FlavorProject)
        .where(models.FlavorProject.flavor_id == flavor.id,
               models.FlavorProject.project_id == project_id))
    if result.rowcount == 0:
        raise exception.FlavorAccessNotFound(flavor_id=flavorid,
                                             project_id=project_id)
    context.session.refresh(flavor, ['projects'])
    return _to_dict(flavor)['projects']
