"""BuildFailureWeigher: puts nodes that recently failed builds last.

``failed_builds`` is kept in memory by each scheduler, per host, fed by
the ``note_build_failure`` RPC cast (conductor, on a reschedule) and
cleared by ``note_build_success``; a restarted scheduler starts
forgiving. Hosts that already failed this very instance are not weighed
but excluded (``retry.hosts`` of the request spec).
"""

from collections.abc import Sequence

from nova.scheduler import weighers
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class BuildFailureWeigher(weighers.BaseWeigher):
    multiplier_option = 'build_failure_weight_multiplier'

    def _weigh_object(self, host_state: HostState, request: Request
                      ) -> float:
        return -host_state.failed_builds

    def weigh_all(self, hosts: Sequence[HostState], request: Request
                  ) -> list[float]:
        return [-host.failed_builds for host in hosts]
