"""CPUWeigher: favours nodes with more free VCPUs (spreading); a negative
``cpu_weight_multiplier`` stacks instead."""

from collections.abc import Sequence

from nova.scheduler import weighers
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class CPUWeigher(weighers.BaseWeigher):
    multiplier_option = 'cpu_weight_multiplier'

    def _weigh_object(self, host_state: HostState, request: Request
                      ) -> float:
        return host_state.free_vcpus

    def weigh_all(self, hosts: Sequence[HostState], request: Request
                  ) -> list[float]:
        return [host.free_vcpus for host in hosts]
