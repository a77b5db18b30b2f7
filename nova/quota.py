"""The quota engine: effective limits, usages, reservations and checks.

Limits are resolved level by level, each overriding the one before it:

1. the ``[quota]`` configuration options,
2. the quota class ``default`` (``PUT /os-quota-class-sets/default``),
3. the project's own limits (``PUT /os-quota-sets/{project_id}``),
4. the user's own limits within the project (``...?user_id=``).

``-1`` means unlimited at every level.

Resources come in two kinds:

* **Reserved** (``instances``, ``cores``, ``ram``): the servers API moves
  counters in ``quota_usages`` with ``reserve``/``release``. The check and
  the move are one conditional UPDATE per counter in the database (see
  ``nova.db.api.quotas``), so concurrent requests can never together pass
  a limit; either every counter of a reservation moves or none does.
* **Counted** (``key_pairs`` per user, ``server_groups`` per project,
  ``server_group_members`` per group, ``metadata_items`` per server):
  there is no counter; ``check_deltas`` counts the existing rows (or takes
  the caller's count) and compares. Such checks can race; callers that
  care re-check after creating and undo (see ``nova.compute.keypairs``).

The per-server limits ``injected_files``, ``injected_file_content_bytes``
and ``injected_file_path_bytes`` are only reported; nothing consumes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import keypairs as keypairs_db
from nova.db.api import quotas as quotas_db
from nova.db.api import server_groups as server_groups_db
from nova.i18n import _

CONF = cfg.CONF

UNLIMITED = -1
DEFAULT_CLASS = 'default'

# API resource name -> [quota] option holding its default.
_OPTIONS = {
    'instances': 'instances',
    'cores': 'cores',
    'ram': 'ram',
    'metadata_items': 'metadata_items',
    'key_pairs': 'key_pairs',
    'server_groups': 'server_groups',
    'server_group_members': 'server_group_members',
    'injected_files': 'injected_files',
    'injected_file_content_bytes': 'injected_file_content_bytes',
    # The API has always called it bytes although it counts characters.
    'injected_file_path_bytes': 'injected_file_path_length',
}
RESOURCES: tuple[str, ...] = tuple(_OPTIONS)
RESERVED_RESOURCES = ('instances', 'cores', 'ram')
COUNTED_RESOURCES = ('key_pairs', 'server_groups', 'server_group_members',
                     'metadata_items')


def get_defaults(context: Any) -> dict[str, int]:
    """Limits of a project that set nothing: config < class 'default'."""
    return get_class_limits(context, DEFAULT_CLASS)


def get_class_limits(context: Any, class_name: str) -> dict[str, int]:
    """Limits of a quota class, falling back to the defaults."""
    limits = {name: int(getattr(CONF.quota, option))
              for name, option in _OPTIONS.items()}
    classes = [DEFAULT_CLASS]
    if class_name != DEFAULT_CLASS:
        classes.append(class_name)
    for name in classes:
        limits.update(_known(quotas_db.quota_class_get_all_by_name(
            context, name)))
    return limits


def get_limits(context: Any, project_id: str,
               user_id: str | None = None) -> dict[str, int]:
    """Effective limits of a project, or of one user within it."""
    limits = get_defaults(context)
    limits.update(_known(quotas_db.quota_get_all_by_project(
        context, project_id)))
    if user_id is not None:
        limits.update(_known(quotas_db.quota_get_all_by_project_and_user(
            context, project_id, user_id)))
    return limits


def get_usages(context: Any, project_id: str, user_id: str | None = None
               ) -> dict[str, dict[str, int]]:
    """{resource: {'in_use': n, 'reserved': n}} for every resource.

    Key pairs belong to users, so they count only when ``user_id`` is
    given; server groups always count for the whole project.
    """
    usages = {name: {'in_use': 0, 'reserved': 0} for name in RESOURCES}
    if user_id is None:
        rows = quotas_db.quota_usage_get_all_by_project(context, project_id)
    else:
        rows = quotas_db.quota_usage_get_all_by_project_and_user(
            context, project_id, user_id)
    for name in RESERVED_RESOURCES:
        if name in rows:
            usages[name] = {'in_use': int(rows[name]['in_use']),
                            'reserved': int(rows[name]['reserved'])}
    if user_id is not None:
        usages['key_pairs']['in_use'] = _count(context, project_id, user_id,
                                               'key_pairs')
    usages['server_groups']['in_use'] = _count(context, project_id, user_id,
                                               'server_groups')
    return usages


def reserve(context: Any, project_id: str, user_id: str | None,
            deltas: Mapping[str, int]) -> None:
    """Take ``deltas`` of reserved resources, all or nothing.

    Raises ``OverQuota`` naming every resource that would pass its limit
    (kwargs ``resources``, ``quotas``, ``usages``, ``deltas``).
    """
    _check_names(deltas, RESERVED_RESOURCES)
    limits = get_limits(context, project_id)
    user_limits = (get_limits(context, project_id, user_id)
                   if user_id is not None else None)
    try:
        quotas_db.reserve(context, project_id, user_id, deltas, limits,
                          user_limits=user_limits)
    except exception.OverQuota as exc:
        overs = exc.kwargs.get('resources') or sorted(deltas)
        # Tighter of the project and the user limit is what refused it.
        applied = {name: _tighter(limits.get(name, UNLIMITED),
                                  (user_limits or {}).get(name, UNLIMITED))
                   for name in overs}
        raise _over_quota(overs, applied, get_usages(
            context, project_id, user_id), deltas) from None


def release(context: Any, project_id: str, user_id: str | None,
            deltas: Mapping[str, int]) -> None:
    """Give back what ``reserve`` took (``deltas`` positive)."""
    _check_names(deltas, RESERVED_RESOURCES)
    quotas_db.release(context, project_id, user_id, deltas)


def check_deltas(context: Any, project_id: str, user_id: str | None,
                 resource: str, delta: int, current: int | None = None
                 ) -> None:
    """Refuse ``delta`` more of a counted resource with ``OverQuota``.

    ``key_pairs`` are counted for ``user_id`` and ``server_groups`` for
    the project. ``server_group_members`` and ``metadata_items`` belong to
    one group or server, which the caller knows: it passes ``current``
    (default 0, e.g. for the metadata of a server being created).
    """
    _check_names({resource: delta}, COUNTED_RESOURCES)
    limit = get_limits(context, project_id, user_id)[resource]
    if limit == UNLIMITED or delta <= 0:
        return
    if current is None:
        current = _count(context, project_id, user_id, resource)
    if current + delta > limit:
        usage = {resource: {'in_use': current, 'reserved': 0}}
        raise _over_quota([resource], {resource: limit}, usage,
                          {resource: delta})


def update_limits(context: Any, project_id: str, values: Mapping[str, int],
                  user_id: str | None = None, force: bool = False) -> None:
    """Set a project's (or a user's) limits.

    Without ``force`` a limit below what is already used is refused, and
    a user's limit may not exceed the project's.
    """
    _check_names(values, RESOURCES)
    if not force:
        usages = get_usages(context, project_id, user_id)
        project_limits = (get_limits(context, project_id)
                          if user_id is not None else {})
        for name, value in values.items():
            _validate_limit(name, value, usages[name],
                            project_limits.get(name, UNLIMITED))
    for name, value in values.items():
        quotas_db.quota_set(context, project_id, name, value,
                            user_id=user_id)


def update_class_limits(context: Any, class_name: str,
                        values: Mapping[str, int]) -> None:
    _check_names(values, RESOURCES)
    for name, value in values.items():
        quotas_db.quota_class_set(context, class_name, name, value)


@engine.writer
def delete_limits(context: Any, project_id: str,
                  user_id: str | None = None) -> None:
    """Back to the defaults: forget the project's limits (and those of
    its users), or one user's.

    The usage counters stay: they count servers that still exist, so
    ``nova.db.api.quotas.quota_destroy_all_by_project*`` (which also drop
    usages, for deleted projects) would let a project pass its limits.
    """
    # TODO: move to nova.db.api.quotas as a limits-only destroy.
    models_ = ((models.Quota, models.ProjectUserQuota) if user_id is None
               else (models.ProjectUserQuota,))
    for model in models_:
        stmt = sa.delete(model).where(model.project_id == project_id)
        if user_id is not None:
            stmt = stmt.where(model.user_id == user_id)
        context.session.execute(stmt)


def _validate_limit(name: str, value: int, usage: Mapping[str, int],
                    maximum: int) -> None:
    minimum = usage['in_use'] + usage['reserved']
    if value != UNLIMITED and value < minimum:
        raise exception.Invalid(reason=_(
            'Quota limit %(limit)s for %(resource)s must be greater than or '
            'equal to already used and reserved %(minimum)s.')
            % {'limit': value, 'resource': name, 'minimum': minimum})
    if maximum != UNLIMITED and (value == UNLIMITED or value > maximum):
        raise exception.Invalid(reason=_(
            'Quota limit %(limit)s for %(resource)s must be less than or '
            'equal to the project limit %(maximum)s.')
            % {'limit': value, 'resource': name, 'maximum': maximum})


def _count(context: Any, project_id: str, user_id: str | None,
           resource: str) -> int:
    if resource == 'key_pairs':
        if user_id is None:
            return 0
        return keypairs_db.key_pair_count_by_user(context, user_id)
    if resource == 'server_groups':
        return len(server_groups_db.instance_group_get_all(
            context, project_id=project_id))
    return 0


def _tighter(first: int, second: int) -> int:
    if first == UNLIMITED:
        return second
    if second == UNLIMITED:
        return first
    return min(first, second)


def _over_quota(resources: list[str], limits: Mapping[str, int],
                usages: Mapping[str, Mapping[str, int]],
                deltas: Mapping[str, int]) -> exception.OverQuota:
    parts = []
    for name in resources:
        used = usages.get(name, {})
        parts.append(_('%(name)s (requested %(delta)s, already used '
                       '%(used)s of %(limit)s)') % {
            'name': name, 'delta': deltas.get(name, 0),
            'used': used.get('in_use', 0) + used.get('reserved', 0),
            'limit': limits.get(name, UNLIMITED)})
    return exception.OverQuota(
        overs=', '.join(parts), resources=list(resources),
        quotas=dict(limits), usages={name: dict(usages.get(name, {}))
                                     for name in resources},
        deltas=dict(deltas))


def _known(limits: Mapping[str, int | None]) -> dict[str, int]:
    """Rows of resources we know, skipping unset (NULL) limits."""
    return {name: int(value) for name, value in limits.items()
            if name in _OPTIONS and value is not None}


def _check_names(values: Mapping[str, Any], allowed: tuple[str, ...]
                 ) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        # A programming error of the caller, not of an API user.
        raise ValueError(f'not a quota resource here: {unknown}')
