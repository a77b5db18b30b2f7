"""Client side of the conductor RPC API.

Version 1.0: service_register, service_heartbeat (the database proxy that
nova-compute uses for its service record).
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging

from nova import context as nova_context
from nova import rpc

TOPIC = 'conductor'
RPC_API_VERSION = '1.0'

# Release name -> version, so operators may pin by release.
VERSION_ALIASES: dict[str, str] = {}


class ConductorAPI:
    """One method per remote operation of ConductorManager."""

    def __init__(self) -> None:
        target = messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
        self.client = rpc.get_client(
            target, version_cap=rpc.version_cap('conductor',
                                                VERSION_ALIASES))

    def service_register(self, context: nova_context.RequestContext,
                         host: str, binary: str, topic: str,
                         version: int) -> dict[str, Any]:
        cctxt = self.client.prepare(version='1.0')
        return cctxt.call(context, 'service_register', host=host,
                          binary=binary, topic=topic, version=version)

    def service_heartbeat(self, context: nova_context.RequestContext,
                          host: str, binary: str) -> dict[str, Any]:
        cctxt = self.client.prepare(version='1.0')
        return cctxt.call(context, 'service_heartbeat', host=host,
                          binary=binary)
