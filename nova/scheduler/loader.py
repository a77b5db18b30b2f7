"""Load filters and weighers by entry-point name (STYLE.md habit 8)."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable
from typing import Any

from nova import exception

FILTERS_NAMESPACE = 'nova.scheduler.filters'
WEIGHERS_NAMESPACE = 'nova.scheduler.weighers'


def available(namespace: str) -> dict[str, importlib.metadata.EntryPoint]:
    return {ep.name: ep
            for ep in importlib.metadata.entry_points(group=namespace)}


def load(namespace: str, names: Iterable[str], kind: str) -> list[Any]:
    """Instances of the classes called ``names``, in that order.

    Fails on the first unknown name with the list of installed ones, so a
    typo in nova.conf stops the scheduler at start-up, not at the first
    request.
    """
    entry_points = available(namespace)
    plugins = []
    for name in names:
        if name not in entry_points:
            raise exception.SchedulerPluginNotFound(
                kind=kind, name=name, namespace=namespace,
                available=', '.join(sorted(entry_points)) or '(none)')
        plugins.append(entry_points[name].load()())
    return plugins
