"""Service: one Manager behind an RPC server, with heartbeat and timers.

A Service owns everything about being a daemon (RPC server, service
record, heartbeat, periodic tasks, graceful stop); its Manager owns the
business logic. ``nova.launcher`` runs one or several Services in a
process and handles signals.
"""

from __future__ import annotations

import random
import threading
from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import importutils

from nova import context as nova_context
from nova import rpc
from nova import servicegroup

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

# binary -> (topic, manager class path)
SERVICE_MANAGERS = {
    'nova-conductor': ('conductor', 'nova.conductor.manager.ConductorManager'),
    'nova-scheduler': ('scheduler', 'nova.scheduler.manager.SchedulerManager'),
    'nova-compute': ('compute', 'nova.compute.manager.ComputeManager'),
}


class Service:
    """Serve one Manager over RPC on ``topic`` (server = host)."""

    def __init__(self, host: str, binary: str, topic: str, manager: Any,
                 reporter: servicegroup.Reporter,
                 report_interval: int | None = None,
                 periodic_enable: bool | None = None,
                 periodic_fuzzy_delay: int | None = None) -> None:
        self.host = host
        self.binary = binary
        self.topic = topic
        self.manager = manager
        self.reporter = reporter
        self.report_interval = (CONF.report_interval
                                if report_interval is None
                                else report_interval)
        self.periodic_enable = (CONF.periodic_enable
                                if periodic_enable is None
                                else periodic_enable)
        self.periodic_fuzzy_delay = (CONF.periodic_fuzzy_delay
                                     if periodic_fuzzy_delay is None
                                     else periodic_fuzzy_delay)
        self.service_ref: dict[str, Any] | None = None
        self.rpcserver: messaging.MessageHandlingServer | None = None
        self._stopping = threading.Event()
        self._timers: list[threading.Thread] = []

    @classmethod
    def create(cls, binary: str, host: str | None = None,
               reporter: servicegroup.Reporter | None = None,
               **kwargs: Any) -> Service:
        topic, manager_path = SERVICE_MANAGERS[binary]
        host = host or CONF.host
        manager = importutils.import_object(manager_path, host=host)
        if reporter is None:
            reporter = (servicegroup.ConductorReporter()
                        if binary == 'nova-compute'
                        else servicegroup.DatabaseReporter())
        return cls(host, binary, topic, manager, reporter, **kwargs)

    def __repr__(self) -> str:
        return f'<Service {self.binary} on {self.host} topic={self.topic}>'

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> None:
        LOG.info('Starting %s on %s', self.binary, self.host)
        self.manager.init_host()
        ctx = nova_context.get_admin_context()
        self.service_ref = self.reporter.join(ctx, self.host, self.binary,
                                              self.topic)
        self.manager.pre_start_hook()
        target = messaging.Target(topic=self.topic, server=self.host)
        endpoints = [self.manager] + list(
            getattr(self.manager, 'additional_endpoints', []))
        self.rpcserver = rpc.get_server(target, endpoints)
        self.rpcserver.start()
        self.manager.post_start_hook()
        self._start_timer('heartbeat', self._heartbeat_loop)
        if self.periodic_enable:
            self._start_timer('periodic', self._periodic_loop)
        LOG.info('%s on %s is consuming from topic %s', self.binary,
                 self.host, self.topic)

    def stop(self) -> None:
        """Stop consuming; in-flight requests finish in ``wait``."""
        self._stopping.set()
        if self.rpcserver is not None:
            try:
                self.rpcserver.stop()
            except Exception:  # noqa: BLE001 - stopping must not fail
                LOG.exception('Error stopping the RPC server of %s', self)

    def wait(self) -> None:
        """Block until in-flight requests and timers are done."""
        if self.rpcserver is not None:
            self.rpcserver.wait()
        for timer in self._timers:
            timer.join()
        self.manager.cleanup_host()
        LOG.info('%s on %s stopped', self.binary, self.host)

    def reset(self) -> None:
        self.manager.reset()

    # -- timers ------------------------------------------------------------
    def _start_timer(self, name: str, target: Any) -> None:
        thread = threading.Thread(target=target, daemon=True,
                                  name=f'{self.binary}-{name}')
        thread.start()
        self._timers.append(thread)

    def _heartbeat_loop(self) -> None:
        ctx = nova_context.get_admin_context()
        while not self._stopping.wait(self.report_interval):
            self.report_state(ctx)

    def report_state(self, ctx: nova_context.RequestContext) -> None:
        try:
            self.service_ref = self.reporter.report(ctx, self.host,
                                                    self.binary)
            LOG.debug('Heartbeat of %s recorded', self)
        except Exception:  # noqa: BLE001
            # A database or broker outage must not kill the service; it
            # shows as "down" until heartbeats get through again.
            LOG.warning('Heartbeat of %s failed; will retry',
                        self, exc_info=True)

    def _periodic_loop(self) -> None:
        ctx = nova_context.get_admin_context()
        delay = random.randint(0, self.periodic_fuzzy_delay) \
            if self.periodic_fuzzy_delay else 0
        while not self._stopping.wait(delay):
            try:
                idle = self.manager.periodic_tasks(ctx)
            except Exception:  # noqa: BLE001
                LOG.exception('Periodic tasks of %s failed', self)
                idle = None
            delay = min(idle or CONF.periodic_interval,
                        CONF.periodic_interval)
