"""SimpleCIDRAffinityFilter: the host's IP is in the network of the
``build_near_host_ip`` hint (prefix length from the ``cidr`` hint, e.g.
``/24``)."""

import ipaddress

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class SimpleCIDRAffinityFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return bool(request.hint('build_near_host_ip'))

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        if not host_state.host_ip:
            return False
        cidr = str(request.hint('cidr') or '/24').lstrip('/')
        try:
            network = ipaddress.ip_network(
                f"{request.hint('build_near_host_ip')}/{cidr}", strict=False)
            return ipaddress.ip_address(host_state.host_ip) in network
        except ValueError:
            return False
