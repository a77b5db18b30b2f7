"""Client side of the scheduler RPC API (topic ``scheduler``).

Versions: 1.0 select_destinations, claim_alternate; 1.1
note_build_failure, note_build_success (casts feeding the
BuildFailureWeigher). The full history is in the docs.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_log import log as logging

from nova import context as nova_context
from nova import exception
from nova import rpc

LOG = logging.getLogger(__name__)

TOPIC = 'scheduler'
RPC_API_VERSION = '1.1'

# Release name -> version, so operators may pin by release.
VERSION_ALIASES: dict[str, str] = {}


class SchedulerAPI:
    """One method per remote operation of SchedulerManager."""

    def __init__(self) -> None:
        target = messaging.Target(topic=TOPIC, version=RPC_API_VERSION)
        self.client = rpc.get_client(
            target, version_cap=rpc.version_cap('scheduler',
                                                VERSION_ALIASES))

    def _prepare(self, version: str) -> Any:
        if not self.client.can_send_version(version):
            raise exception.ServiceUnavailable(
                reason=f'nova-scheduler is pinned below RPC {version} '
                       f'([upgrade_levels] scheduler)')
        return self.client.prepare(version=version)

    def select_destinations(self, context: nova_context.RequestContext,
                            request_spec: dict[str, Any],
                            instance_uuids: list[str]
                            ) -> list[list[dict[str, Any]]]:
        """Per instance: the chosen host (resources already claimed for
        the instance) then up to max_attempts - 1 unclaimed alternates.
        Raises NoValidHost with the reason."""
        cctxt = self._prepare('1.0')
        return cctxt.call(context, 'select_destinations',
                          request_spec=request_spec,
                          instance_uuids=list(instance_uuids))

    def claim_alternate(self, context: nova_context.RequestContext,
                        request_spec: dict[str, Any], instance_uuid: str,
                        selection: dict[str, Any]) -> bool:
        """Claim an alternate's resources for the instance (reschedule);
        False when the node has no room any more."""
        cctxt = self._prepare('1.0')
        return cctxt.call(context, 'claim_alternate',
                          request_spec=request_spec,
                          instance_uuid=instance_uuid, selection=selection)

    def note_build_failure(self, context: nova_context.RequestContext,
                           host: str) -> None:
        """Tell every scheduler that a build failed on ``host``."""
        self._cast_fanout(context, 'note_build_failure', host)

    def note_build_success(self, context: nova_context.RequestContext,
                           host: str) -> None:
        self._cast_fanout(context, 'note_build_success', host)

    def _cast_fanout(self, context: nova_context.RequestContext,
                     method: str, host: str) -> None:
        if not self.client.can_send_version('1.1'):
            # Older schedulers cannot count failures; they still skip
            # the hosts in the request spec's retry list.
            LOG.debug('Not sending %s: scheduler RPC pinned below 1.1',
                      method)
            return
        cctxt = self.client.prepare(version='1.1', fanout=True)
        cctxt.cast(context, method, host=host)
