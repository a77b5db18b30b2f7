"""ComputeFilter: the host's nova-compute service is enabled and up."""

from collections.abc import Iterable

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class ComputeFilter(filters.BaseHostFilter):
    def host_passes(self, host_state: HostState, request: Request) -> bool:
        # Up is judged at load time with nova.servicegroup.is_up on the
        # service row; a disabled service takes no new instances.
        return host_state.service_up and not host_state.service_disabled

    def filter_all(self, hosts: Iterable[HostState], request: Request
                   ) -> list[HostState]:
        return [h for h in hosts if h.service_up and not h.service_disabled]
