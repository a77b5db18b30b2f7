"""nova-scheduler's RPC endpoints (API version in ``rpcapi.py``).

Thin: each method hands over to the filter-scheduler flow in
``nova.scheduler.pipeline`` or to ``nova.scheduler.claims``.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging

from nova import manager
from nova.scheduler import claims
from nova.scheduler import host_manager as hm
from nova.scheduler import loader
from nova.scheduler import pipeline

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


class SchedulerManager(manager.Manager):
    target = messaging.Target(version='1.1')

    def __init__(self, host: str | None = None) -> None:
        super().__init__(host=host, service_name='scheduler')
        # Loaded here so that a misspelt filter or weigher stops the
        # service at start-up, with the list of the installed ones.
        filters = loader.load(loader.FILTERS_NAMESPACE,
                              CONF.filter_scheduler.enabled_filters,
                              'filter')
        weighers = loader.load(loader.WEIGHERS_NAMESPACE,
                               CONF.filter_scheduler.weight_classes,
                               'weigher')
        self.host_manager = hm.HostManager()
        self.scheduler = pipeline.Scheduler(self.host_manager, filters,
                                            weighers)
        LOG.info('Scheduler filters: %s; weighers: %s',
                 ', '.join(f.name for f in filters),
                 ', '.join(w.name for w in weighers))

    def reset(self) -> None:
        self.host_manager.invalidate()

    def select_destinations(self, context: Any,
                            request_spec: dict[str, Any],
                            instance_uuids: list[str]
                            ) -> list[list[dict[str, Any]]]:
        selections = self.scheduler.select_destinations(
            context, request_spec, instance_uuids)
        claims.release_abandoned(context, instance_uuids)
        return selections

    def claim_alternate(self, context: Any, request_spec: dict[str, Any],
                        instance_uuid: str, selection: dict[str, Any]
                        ) -> bool:
        return claims.claim_alternate(context, request_spec, instance_uuid,
                                      selection)

    def note_build_failure(self, context: Any, host: str) -> None:
        self.host_manager.note_build_failure(host)

    def note_build_success(self, context: Any, host: str) -> None:
        self.host_manager.note_build_success(host)
