"""SameHostFilter: the host runs one of the ``same_host`` instances."""

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class SameHostFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return bool(request.hint('same_host'))

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        # request.same_host_hosts was resolved from the uuids in one query.
        return host_state.host in request.same_host_hosts
