"""ServerGroupAffinityFilter: members of an ``affinity`` group share a
host. The first member goes anywhere; the rest follow it."""

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return request.group_policy == 'affinity' and bool(
            request.group_hosts)

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        return host_state.host in request.group_hosts
