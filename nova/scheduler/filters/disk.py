"""DiskFilter: the node has the disk the flavor asks for.

Same test as the database claim, ((total - reserved) * allocation_ratio
- used, and min_unit/max_unit/step_size), on the cached figures: a host
that fails here would fail the claim too.
"""

from collections.abc import Iterable

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import DISK_GB
from nova.scheduler.request import Request


class DiskFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return request.resources.get(DISK_GB, 0) > 0

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        return host_state.fits(DISK_GB, request.resources[DISK_GB])

    def filter_all(self, hosts: Iterable[HostState], request: Request
                   ) -> list[HostState]:
        # host_passes inlined: this runs for every host of every request.
        amount = request.resources[DISK_GB]
        return [h for h in hosts if h.limit_disk_gb >= amount
                and (h.regular_units or h.fits(DISK_GB, amount))]
