"""ServerGroupSoftAntiAffinityWeigher: for a ``soft-anti-affinity`` group,
favours nodes running fewer of its members."""

from nova.scheduler import weighers
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class ServerGroupSoftAntiAffinityWeigher(weighers.BaseWeigher):
    multiplier_option = 'soft_anti_affinity_weight_multiplier'
    policy = 'soft-anti-affinity'

    def relevant(self, request: Request) -> bool:
        return request.group_policy == self.policy and bool(
            request.group_hosts)

    def _weigh_object(self, host_state: HostState, request: Request
                      ) -> float:
        return -request.group_hosts.get(host_state.host, 0)
