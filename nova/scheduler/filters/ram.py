"""RamFilter: the node has the RAM the flavor asks for.

Same test as the database claim, ((total - reserved) * allocation_ratio
- used, and min_unit/max_unit/step_size), on the cached figures: a host
that fails here would fail the claim too.
"""

from collections.abc import Iterable

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import MEMORY_MB
from nova.scheduler.request import Request


class RamFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return request.resources.get(MEMORY_MB, 0) > 0

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        return host_state.fits(MEMORY_MB, request.resources[MEMORY_MB])

    def filter_all(self, hosts: Iterable[HostState], request: Request
                   ) -> list[HostState]:
        # host_passes inlined: this runs for every host of every request.
        amount = request.resources[MEMORY_MB]
        return [h for h in hosts if h.limit_ram_mb >= amount
                and (h.regular_units or h.fits(MEMORY_MB, amount))]
