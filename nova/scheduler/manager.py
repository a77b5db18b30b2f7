"""nova-scheduler's RPC endpoints.

``select_destinations`` joins with the filter/weigher pipeline and the
atomic resource claims (scheduler work).
"""

from __future__ import annotations

import oslo_messaging as messaging

from nova import manager


class SchedulerManager(manager.Manager):
    target = messaging.Target(version='1.0')

    def __init__(self, host: str | None = None) -> None:
        super().__init__(host=host, service_name='scheduler')
