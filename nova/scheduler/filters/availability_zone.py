"""AvailabilityZoneFilter: the host is in the requested zone.

A host's zone is the availability_zone metadata of its aggregates, else
``[DEFAULT] default_availability_zone``. ``zone:host[:node]`` requests
(admin forced hosts) are matched on the zone part only.
"""

from nova.scheduler import filters
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class AvailabilityZoneFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return bool(request.availability_zone)

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        zone = request.availability_zone.partition(':')[0]
        if not zone:
            return True
        zones = host_state.aggregate_metadata.get('availability_zone')
        if zones:
            return zone in zones
        return zone == host_state.availability_zone
