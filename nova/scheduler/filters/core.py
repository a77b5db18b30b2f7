"""CoreFilter: the node has the VCPUs the flavor asks for.

Same test as the database claim, ((total - reserved) * allocation_ratio
- used, and min_unit/max_unit/step_size), on the cached figures: a host
that fails here would fail the claim too.
"""

from collections.abc import Iterable

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import VCPU
from nova.scheduler.request import Request


class CoreFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return request.resources.get(VCPU, 0) > 0

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        return host_state.fits(VCPU, request.resources[VCPU])

    def filter_all(self, hosts: Iterable[HostState], request: Request
                   ) -> list[HostState]:
        # host_passes inlined: this runs for every host of every request.
        amount = request.resources[VCPU]
        return [h for h in hosts if h.limit_vcpus >= amount
                and (h.regular_units or h.fits(VCPU, amount))]
