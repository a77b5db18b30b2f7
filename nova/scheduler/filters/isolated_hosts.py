"""IsolatedHostsFilter: isolated images only on isolated hosts.

``[filter_scheduler] isolated_images`` may run only on ``isolated_hosts``;
with ``restrict_isolated_hosts_to_isolated_images`` (default) those hosts
run nothing else.
"""

from oslo_config import cfg

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

CONF = cfg.CONF


class IsolatedHostsFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        conf = CONF.filter_scheduler
        return bool(conf.isolated_images or conf.isolated_hosts)

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        conf = CONF.filter_scheduler
        image_isolated = request.image.get('id') in conf.isolated_images
        host_isolated = host_state.host in conf.isolated_hosts
        if image_isolated:
            return host_isolated
        if conf.restrict_isolated_hosts_to_isolated_images:
            return not host_isolated
        return True
