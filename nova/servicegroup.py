"""Service liveness: heartbeats written to the services table and the
rule that says whether a service is up.

Services that may open the database report directly; nova-compute reports
through nova-conductor (``ConductorReporter``) because compute nodes hold
no database credentials.
"""

from __future__ import annotations

import datetime
from typing import Any
from typing import Protocol

from oslo_config import cfg
from oslo_utils import timeutils

from nova import context as nova_context
from nova import exception

CONF = cfg.CONF

# Bumped whenever a service's RPC surface changes incompatibly; recorded in
# the services table so `nova-status upgrade check` can spot old nodes.
SERVICE_VERSION = 1


def is_up(service: dict[str, Any],
          now: datetime.datetime | None = None) -> bool:
    """Up means: not forced down and a heartbeat within service_down_time.
    """
    if service.get('forced_down'):
        return False
    last = (service.get('last_seen_up') or service.get('updated_at') or
            service.get('created_at'))
    if last is None:
        return False
    if isinstance(last, str):
        last = timeutils.parse_isotime(last)
    now = now or timeutils.utcnow()
    elapsed = timeutils.delta_seconds(timeutils.normalize_time(last),
                                      timeutils.normalize_time(now))
    return abs(elapsed) <= CONF.service_down_time


class Reporter(Protocol):
    def join(self, context: nova_context.RequestContext, host: str,
             binary: str, topic: str) -> dict[str, Any]: ...

    def report(self, context: nova_context.RequestContext, host: str,
               binary: str) -> dict[str, Any]: ...


class DatabaseReporter:
    """Writes heartbeats straight to the database."""

    def join(self, context: nova_context.RequestContext, host: str,
             binary: str, topic: str) -> dict[str, Any]:
        """Find or create the service record; it keeps its uuid and its
        disabled/forced_down flags across restarts."""
        from nova.db.api import services as services_db
        try:
            service = services_db.service_get_by_host_and_binary(
                context, host, binary)
        except exception.ServiceNotFound:
            try:
                service = services_db.service_create(context, {
                    'host': host, 'binary': binary, 'topic': topic,
                    'report_count': 0, 'version': SERVICE_VERSION})
            except exception.ServiceExists:
                # Another worker of the same service won the race.
                service = services_db.service_get_by_host_and_binary(
                    context, host, binary)
        services_db.service_heartbeat(context, service['id'])
        return services_db.service_update(
            context, service['id'],
            {'topic': topic, 'version': SERVICE_VERSION})

    def report(self, context: nova_context.RequestContext, host: str,
               binary: str) -> dict[str, Any]:
        from nova.db.api import services as services_db
        service = services_db.service_get_by_host_and_binary(
            context, host, binary)
        services_db.service_heartbeat(context, service['id'])
        return service


class ConductorReporter:
    """Sends heartbeats to nova-conductor, for nova-compute."""

    def __init__(self) -> None:
        from nova.conductor import rpcapi as conductor_rpcapi
        self._conductor = conductor_rpcapi.ConductorAPI()

    def join(self, context: nova_context.RequestContext, host: str,
             binary: str, topic: str) -> dict[str, Any]:
        return self._conductor.service_register(
            context, host=host, binary=binary, topic=topic,
            version=SERVICE_VERSION)

    def report(self, context: nova_context.RequestContext, host: str,
               binary: str) -> dict[str, Any]:
        return self._conductor.service_heartbeat(context, host=host,
                                                 binary=binary)
