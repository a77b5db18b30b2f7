"""ServerGroupSoftAffinityWeigher: for a ``soft-affinity`` group, favours
nodes already running more of its members."""

from nova.scheduler import weighers
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class ServerGroupSoftAffinityWeigher(weighers.BaseWeigher):
    multiplier_option = 'soft_affinity_weight_multiplier'
    policy = 'soft-affinity'

    def relevant(self, request: Request) -> bool:
        return request.group_policy == self.policy and bool(
            request.group_hosts)

    def _weigh_object(self, host_state: HostState, request: Request
                      ) -> float:
        return request.group_hosts.get(host_state.host, 0)
