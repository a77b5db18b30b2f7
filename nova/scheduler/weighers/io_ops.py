"""IoOpsWeigher: the number of I/O-heavy operations on the node; the
default negative multiplier favours quiet nodes."""

from collections.abc import Sequence

from nova.scheduler import weighers
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class IoOpsWeigher(weighers.BaseWeigher):
    multiplier_option = 'io_ops_weight_multiplier'

    def _weigh_object(self, host_state: HostState, request: Request
                      ) -> float:
        return host_state.num_io_ops

    def weigh_all(self, hosts: Sequence[HostState], request: Request
                  ) -> list[float]:
        return [host.num_io_ops for host in hosts]
