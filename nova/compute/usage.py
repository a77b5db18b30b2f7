"""Usage of projects over a period (os-simple-tenant-usage).

The arithmetic: a server is billed from ``max(launched_at, start)`` to
``min(terminated_at or end, end)``; a server never launched, or whose
life does not overlap the period, costs 0 hours. Each resource usage is
the flavor size times those hours (``local_gb`` = root + ephemeral).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from oslo_utils import timeutils

from nova import context as nova_context
from nova import exception
from nova.db.api import flavors as flavors_db
from nova.db.api import instances as instances_db
from nova.i18n import _

_FORMATS = ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
            '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M:%S')


def parse_time(text: str | None,
               now: datetime.datetime | None = None) -> datetime.datetime:
    """A period bound; missing means now. Naive UTC."""
    if not text:
        return now or timeutils.utcnow()
    for fmt in _FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise exception.Invalid(
        reason=_('Invalid time %s: datetime is in invalid format') % text)


def check_period(start: datetime.datetime, end: datetime.datetime) -> None:
    if start > end:
        raise exception.Invalid(reason=_(
            'Invalid start time. The start time cannot occur after the '
            'end time.'))


def hours_in_period(launched_at: datetime.datetime | None,
                    terminated_at: datetime.datetime | None,
                    start: datetime.datetime,
                    end: datetime.datetime) -> float:
    """Hours of a server's life that fall within [start, end]."""
    if launched_at is None or launched_at > end:
        return 0.0
    if terminated_at is not None and terminated_at < start:
        return 0.0
    begin = max(launched_at, start)
    stop = min(terminated_at, end) if terminated_at else end
    return max((stop - begin).total_seconds(), 0.0) / 3600.0


def overlaps(instance: dict[str, Any], start: datetime.datetime,
             end: datetime.datetime) -> bool:
    """Whether the instance belongs in the report of [start, end].

    Not-yet-launched servers are listed (with 0 hours), as upstream does.
    """
    terminated, launched = instance['terminated_at'], instance['launched_at']
    return ((terminated is None or terminated > start) and
            (launched is None or launched < end))


def server_usage(instance: dict[str, Any], flavor_name: str,
                 start: datetime.datetime, end: datetime.datetime,
                 now: datetime.datetime) -> dict[str, Any]:
    """One entry of ``server_usages`` (times still datetimes)."""
    launched, terminated = instance['launched_at'], instance['terminated_at']
    deleted = bool(instance['deleted']) or instance['vm_state'] == 'deleted'
    state = 'terminated' if deleted else instance['vm_state']
    if launched is None:
        uptime = 0
    elif state == 'terminated' and terminated is not None:
        uptime = int((terminated - launched).total_seconds())
    else:
        uptime = int((now - launched).total_seconds())
    return {
        'ended_at': terminated,
        'flavor': flavor_name,
        'hours': hours_in_period(launched, terminated, start, end),
        'instance_id': instance['uuid'],
        'local_gb': (instance['root_gb'] or 0) + (
            instance['ephemeral_gb'] or 0),
        'memory_mb': instance['memory_mb'] or 0,
        'name': instance['display_name'],
        'started_at': launched,
        'state': state,
        'tenant_id': instance['project_id'],
        'uptime': uptime,
        'vcpus': instance['vcpus'] or 0,
    }


def summarize(servers: list[dict[str, Any]], tenant_id: str,
              start: datetime.datetime,
              end: datetime.datetime) -> dict[str, Any]:
    """A tenant usage: totals over its ``server_usages``."""
    return {
        'server_usages': servers,
        'start': start,
        'stop': end,
        'tenant_id': tenant_id,
        'total_hours': sum(s['hours'] for s in servers),
        'total_local_gb_usage': sum(s['local_gb'] * s['hours']
                                    for s in servers),
        'total_memory_mb_usage': sum(s['memory_mb'] * s['hours']
                                     for s in servers),
        'total_vcpus_usage': sum(s['vcpus'] * s['hours'] for s in servers),
    }


def tenant_usages(context: nova_context.RequestContext,
                  start: datetime.datetime, end: datetime.datetime,
                  project_id: str | None = None, limit: int | None = None,
                  marker: str | None = None
                  ) -> tuple[list[dict[str, Any]], list[str]]:
    """Usage per project over [start, end] and the page of instance uuids.

    Paging (2.40) is over instances, oldest first: ``marker`` is the
    uuid of the last instance of the previous page (unknown: bad
    request). Returns (usages in order of first appearance, uuids of the
    instances on this page).
    """
    admin = context.elevated(read_deleted='yes')
    filters = {'project_id': project_id} if project_id else {}
    everything = instances_db.instance_get_all_by_filters(
        admin, filters, sort_keys=['created_at', 'id'],
        sort_dirs=['asc', 'asc'])
    if marker is not None:
        uuids = [i['uuid'] for i in everything]
        if marker not in uuids:
            raise exception.Invalid(
                reason=_('Marker %s could not be found.') % marker)
        everything = everything[uuids.index(marker) + 1:]
    page = [i for i in everything if overlaps(i, start, end)]
    if limit is not None:
        page = page[:limit]
    flavor_name = _flavor_names(admin)
    now = timeutils.utcnow()
    by_project: dict[str, list[dict[str, Any]]] = {}
    for instance in page:
        by_project.setdefault(instance['project_id'], []).append(
            server_usage(instance, flavor_name(instance), start, end, now))
    usages = [summarize(servers, project, start, end)
              for project, servers in by_project.items()]
    return usages, [i['uuid'] for i in page]


def _flavor_names(context: nova_context.RequestContext
                  ) -> Callable[[dict[str, Any]], str]:
    cache: dict[Any, str] = {}

    def name(instance: dict[str, Any]) -> str:
        booked = (instance.get('extra') or {}).get('flavor')
        if isinstance(booked, dict):
            booked = booked.get('cur', booked)
            if isinstance(booked, dict) and booked.get('name'):
                return booked['name']
        type_id = instance['instance_type_id']
        if type_id not in cache:
            try:
                cache[type_id] = flavors_db.flavor_get(context,
                                                       type_id)['name']
            except exception.FlavorNotFound:
                cache[type_id] = ''
        return cache[type_id]

    return name
