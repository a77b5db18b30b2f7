"""AggregateMultiTenancyIsolation: hosts in an aggregate with
``filter_tenant_id`` metadata (a comma-separated list of projects; keys
``filter_tenant_id*`` all count) only take those projects' instances."""

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

KEY = 'filter_tenant_id'


class AggregateMultiTenancyIsolation(filters.BaseHostFilter):
    def host_passes(self, host_state: HostState, request: Request) -> bool:
        allowed: set[str] = set()
        for key, values in host_state.aggregate_metadata.items():
            if key.startswith(KEY):
                for value in values:
                    allowed.update(p.strip() for p in value.split(','))
        return not allowed or request.project_id in allowed
