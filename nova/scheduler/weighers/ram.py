"""RAMWeigher: favours nodes with more free RAM (MB) (spreading); a negative
``ram_weight_multiplier`` stacks instead."""

from collections.abc import Sequence

from nova.scheduler import weighers
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class RAMWeigher(weighers.BaseWeigher):
    multiplier_option = 'ram_weight_multiplier'

    def _weigh_object(self, host_state: HostState, request: Request
                      ) -> float:
        return host_state.free_ram_mb

    def weigh_all(self, hosts: Sequence[HostState], request: Request
                  ) -> list[float]:
        return [host.free_ram_mb for host in hosts]
