"""NumInstancesFilter: fewer than ``[filter_scheduler]
max_instances_per_host`` instances on the node."""

from oslo_config import cfg

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

CONF = cfg.CONF


class NumInstancesFilter(filters.BaseHostFilter):
    def host_passes(self, host_state: HostState, request: Request) -> bool:
        return (host_state.num_instances
                < CONF.filter_scheduler.max_instances_per_host)
