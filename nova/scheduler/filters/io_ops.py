"""IoOpsFilter: fewer than ``[filter_scheduler] max_io_ops_per_host``
I/O-heavy operations (builds, resizes, snapshots...) on the node."""

from oslo_config import cfg

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

CONF = cfg.CONF


class IoOpsFilter(filters.BaseHostFilter):
    def host_passes(self, host_state: HostState, request: Request) -> bool:
        return (host_state.num_io_ops
                < CONF.filter_scheduler.max_io_ops_per_host)
