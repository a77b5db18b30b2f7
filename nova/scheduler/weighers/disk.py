"""DiskWeigher: favours nodes with more free disk (GB) (spreading); a negative
``disk_weight_multiplier`` stacks instead."""

from collections.abc import Sequence

from nova.scheduler import weighers
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class DiskWeigher(weighers.BaseWeigher):
    multiplier_option = 'disk_weight_multiplier'

    def _weigh_object(self, host_state: HostState, request: Request
                      ) -> float:
        return host_state.free_disk_gb

    def weigh_all(self, hosts: Sequence[HostState], request: Request
                  ) -> list[float]:
        return [host.free_disk_gb for host in hosts]
