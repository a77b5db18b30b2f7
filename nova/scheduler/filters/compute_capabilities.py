"""ComputeCapabilitiesFilter: flavor extra specs in the ``capabilities``
scope (or unscoped) match host state attributes.

``capabilities:hypervisor_type=fake``, ``capabilities:cpu_info:arch=x86_64``
(nested keys with ``:``). Values use ``nova.scheduler.spec_ops``. Unscoped
keys that name no host attribute are ignored (other filters own them).
"""

from typing import Any

from nova.scheduler import filters
from nova.scheduler import spec_ops
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

_MISSING = object()


def _lookup(host_state: HostState, key: str) -> Any:
    first, *rest = key.split(':')
    value = getattr(host_state, first, _MISSING)
    for part in rest:
        value = value.get(part, _MISSING) if isinstance(value, dict) \
            else _MISSING
    return value


class ComputeCapabilitiesFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return bool(request.extra_specs)

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        for key, wanted in request.extra_specs.items():
            scope, sep, rest = key.partition(':')
            if sep and scope != 'capabilities':
                continue
            name = rest if sep else key
            value = _lookup(host_state, name)
            if value is _MISSING or value is None:
                if sep:
                    return False  # explicitly asked for, not reported
                continue
            if not spec_ops.match(value, wanted):
                return False
        return True
