"""Client side of the compute RPC API; one server per host.

Version 1.0: build_and_run_instance, terminate_instance, get_host_uptime.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging

from nova import context as nova_context
from nova import rpc

TOPIC = 'compute'
RPC_API_VERSION = '1.0'
VERSION_ALIASES: dict[str, str] = {}


class ComputeAPI:
    def __init__(self) -> None:
        target = messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
        self.client = rpc.get_client(target, version_cap=rpc.version_cap(
            'compute', VERSION_ALIASES))

    def build_and_run_instance(self, context: nova_context.RequestContext,
                               host: str, instance: dict[str, Any],
                               selection: dict[str, Any],
                               build_args: dict[str, Any]) -> None:
        cctxt = self.client.prepare(server=host, version='1.0')
        cctxt.cast(context, 'build_and_run_instance', instance=instance,
                   selection=selection, build_args=build_args)

    def terminate_instance(self, context: nova_context.RequestContext,
                           host: str, instance: dict[str, Any]) -> None:
        cctxt = self.client.prepare(server=host, version='1.0')
        cctxt.cast(context, 'terminate_instance', instance=instance)

    def get_host_uptime(self, context: nova_context.RequestContext,
                        host: str, timeout: float | None = None) -> str:
        cctxt = self.client.prepare(server=host, version='1.0',
                                    timeout=timeout)
        return cctxt.call(context, 'get_host_uptime')
