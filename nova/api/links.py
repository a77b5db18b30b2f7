"""Links in responses: self/bookmark links and collection paging."""

from __future__ import annotations

import urllib.parse
from typing import Any

from oslo_config import cfg

CONF = cfg.CONF


def _prefix(url: str) -> str:
    """Apply ``[api] compute_link_prefix`` to a URL built from the request.
    """
    prefix = CONF.api.compute_link_prefix
    if not prefix:
        return url
    parts = urllib.parse.urlsplit(url)
    base = urllib.parse.urlsplit(prefix)
    path = base.path.rstrip('/') + parts.path
    return urllib.parse.urlunsplit((base.scheme, base.netloc, path,
                                    parts.query, parts.fragment))


def host_url(req: Any) -> str:
    return _prefix(req.host_url)


def api_url(req: Any) -> str:
    """The URL of the API root the request came through (/v2.1 or /v2)."""
    return _prefix(req.application_url)


def resource_links(req: Any, collection: str,
                   resource_id: str) -> list[dict[str, str]]:
    """``self`` (versioned) and ``bookmark`` (unversioned) links."""
    project = req.environ.get('nova.project_in_url')
    base = api_url(req)
    root = host_url(req)
    parts = [p for p in (project, collection, str(resource_id)) if p]
    return [
        {'rel': 'self', 'href': '/'.join([base] + parts)},
        {'rel': 'bookmark', 'href': '/'.join([root] + parts)},
    ]


def next_link(req: Any, collection: str, items: list[dict], limit: int,
              marker_key: str = 'id') -> list[dict[str, str]]:
    """A ``next`` link when a full page was returned."""
    if not items or len(items) < limit:
        return []
    params = [(k, v) for k, v in req.GET.items() if k != 'marker']
    params.append(('marker', str(items[-1][marker_key])))
    project = req.environ.get('nova.project_in_url')
    parts = [p for p in (project, collection) if p]
    href = '/'.join([api_url(req)] + parts)
    return [{'rel': 'next',
             'href': f'{href}?{urllib.parse.urlencode(params)}'}]


def limit_from(req: Any, default: int | None = None) -> int:
    """The page size: ``limit`` capped by ``[api] max_limit``."""
    max_limit = CONF.api.max_limit
    raw = req.GET.get('limit')
    if raw is None:
        return default or max_limit
    return min(int(raw), max_limit)
