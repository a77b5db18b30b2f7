"""Base class of every service's Manager: the RPC endpoint object.

A Manager holds the business entry points of one service and nothing
about transport; the Service that wraps it owns the RPC server, the
heartbeat and the timers. Methods are thin: they load what they need and
call a flow module (STYLE.md habit 3).
"""

from __future__ import annotations

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_service import periodic_task

from nova import context as nova_context

CONF = cfg.CONF


class Manager(periodic_task.PeriodicTasks):
    """Override ``target`` with the service's RPC API version."""

    target = messaging.Target(version='1.0')

    def __init__(self, host: str | None = None,
                 service_name: str = 'undefined') -> None:
        super().__init__(CONF)
        self.host = host or CONF.host
        self.service_name = service_name

    def periodic_tasks(self, context: nova_context.RequestContext,
                       raise_on_error: bool = False) -> float:
        """Run due periodic tasks; returns seconds until the next one."""
        return self.run_periodic_tasks(context,
                                       raise_on_error=raise_on_error)

    def init_host(self) -> None:
        """Prepare the host before the RPC server consumes (e.g. recover
        instances left mid-operation by a crash)."""

    def pre_start_hook(self) -> None:
        """Called after the service record exists, before consuming."""

    def post_start_hook(self) -> None:
        """Called once the RPC server consumes."""

    def cleanup_host(self) -> None:
        """Called on stop, after in-flight requests finished."""

    def reset(self) -> None:
        """Called on SIGHUP after mutable options were reloaded."""
