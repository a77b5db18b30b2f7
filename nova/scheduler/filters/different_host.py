"""DifferentHostFilter: the host runs none of the ``different_host``
instances."""

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class DifferentHostFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return bool(request.different_host_hosts)

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        return host_state.host not in request.different_host_hosts
