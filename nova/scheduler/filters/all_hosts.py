"""AllHostsFilter: every host passes (e.g. to test weighers alone)."""

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class AllHostsFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return False

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        return True
