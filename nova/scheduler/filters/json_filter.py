"""JsonFilter: the ``query`` hint, a JSON expression over host state.

    ["and", [">=", "$free_ram_mb", 1024], ["in", "$host", "h1", "h2"]]

Operators: ``=`` ``<`` ``>`` ``<=`` ``>=`` ``in`` ``not`` ``or`` ``and``.
``$name`` reads a HostState attribute (``$free_ram_mb``,
``$free_disk_gb``, ``$free_vcpus``, ``$num_instances``, ``$host``...;
dotted names go into dicts, e.g. ``$cpu_info.arch``). A query that is
not valid JSON fails every host, so a typo never schedules blindly.
"""

from __future__ import annotations

import operator
from typing import Any

from oslo_serialization import jsonutils

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

_MISSING = object()


def _compare(op: Any) -> Any:
    def check(args: list[Any]) -> bool:
        if len(args) < 2 or _MISSING in args:
            return False
        return all(op(args[0], other) for other in args[1:])
    return check


_OPS = {
    '=': _compare(operator.eq),
    '<': _compare(operator.lt),
    '>': _compare(operator.gt),
    '<=': _compare(operator.le),
    '>=': _compare(operator.ge),
    'in': lambda args: bool(args) and args[0] in args[1:],
    'not': lambda args: not any(args),
    'or': lambda args: any(args),
    'and': lambda args: all(args),
}


def _variable(host_state: HostState, name: str) -> Any:
    first, *rest = name.split('.')
    value = getattr(host_state, first, _MISSING)
    for part in rest:
        value = value.get(part, _MISSING) if isinstance(value, dict) \
            else _MISSING
    return value


def evaluate(query: Any, host_state: HostState) -> Any:
    if isinstance(query, str) and query.startswith('$'):
        return _variable(host_state, query[1:])
    if not isinstance(query, list) or not query:
        return query
    op = _OPS.get(query[0])
    if op is None:
        raise ValueError(f'unknown JsonFilter operator {query[0]!r}')
    return op([evaluate(arg, host_state) for arg in query[1:]])


class JsonFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return bool(request.hint('query'))

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        query = request.hint('query')
        try:
            if isinstance(query, str):
                query = jsonutils.loads(query)
            return bool(evaluate(query, host_state))
        except (ValueError, TypeError):
            return False
