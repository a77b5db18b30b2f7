"""ServerGroupAntiAffinityFilter: members of an ``anti-affinity`` group
are spread, at most ``rules['max_server_per_host']`` (default 1) per
host."""

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return request.group_policy == 'anti-affinity' and bool(
            request.group_hosts)

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        rules = request.group.get('rules') or {}
        limit = int(rules.get('max_server_per_host') or 1)
        return request.group_hosts.get(host_state.host, 0) < limit
