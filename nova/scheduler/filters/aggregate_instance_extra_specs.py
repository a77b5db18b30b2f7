"""AggregateInstanceExtraSpecsFilter: flavor extra specs in the
``aggregate_instance_extra_specs`` scope (or unscoped) match the metadata
of one of the host's aggregates."""

from nova.scheduler import filters
from nova.scheduler import spec_ops
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

SCOPE = 'aggregate_instance_extra_specs'


class AggregateInstanceExtraSpecsFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return bool(spec_ops.scoped(request.extra_specs, SCOPE))

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        metadata = host_state.aggregate_metadata
        for key, wanted in spec_ops.scoped(request.extra_specs,
                                           SCOPE).items():
            values = metadata.get(key)
            if not values:
                return False
            if not any(spec_ops.match(value, wanted) for value in values):
                return False
        return True
