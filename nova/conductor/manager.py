"""nova-conductor's RPC endpoints: the database proxy for compute nodes.

Build orchestration (schedule, build, reschedule) joins as its own
endpoint in the boot-path work.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging

from nova import context as nova_context
from nova import manager
from nova import servicegroup


class ConductorManager(manager.Manager):
    target = messaging.Target(version='1.0')

    def __init__(self, host: str | None = None) -> None:
        super().__init__(host=host, service_name='conductor')
        self._reporter = servicegroup.DatabaseReporter()

    def service_register(self, context: nova_context.RequestContext,
                         host: str, binary: str, topic: str,
                         version: int) -> dict[str, Any]:
        return self._reporter.join(context, host, binary, topic)

    def service_heartbeat(self, context: nova_context.RequestContext,
                          host: str, binary: str) -> dict[str, Any]:
        return self._reporter.report(context, host, binary)
