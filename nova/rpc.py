"""Messaging set-up: transports, context-carrying serializer, clients,
servers and the notifier.

``init(conf)`` runs once per process before any Service starts.
``[DEFAULT] transport_url`` picks the broker: ``rabbit://...`` when
deployed, ``fake://`` (in-process only) in the embedded mode.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_messaging.rpc import dispatcher
from oslo_serialization import jsonutils

from nova import context as nova_context

CONF = cfg.CONF

TRANSPORT: messaging.Transport | None = None
NOTIFICATION_TRANSPORT: messaging.Transport | None = None
NOTIFIER: messaging.Notifier | None = None

# Set by the start-up code; no other module needs to know the mode.
_executor = 'threading'


class JsonPayloadSerializer(messaging.NoOpSerializer):
    """Turn payloads into JSON-safe primitives (datetimes, sets...)."""

    @staticmethod
    def serialize_entity(context: Any, entity: Any) -> Any:
        return jsonutils.to_primitive(entity, convert_instances=True)


class RequestContextSerializer(messaging.Serializer):
    """Carry the RequestContext (ids, user, project, roles) across hops."""

    def __init__(self, base: messaging.Serializer | None = None) -> None:
        self._base = base or JsonPayloadSerializer()

    def serialize_entity(self, context: Any, entity: Any) -> Any:
        return self._base.serialize_entity(context, entity)

    def deserialize_entity(self, context: Any, entity: Any) -> Any:
        return self._base.deserialize_entity(context, entity)

    def serialize_context(self, context: nova_context.RequestContext
                          ) -> dict[str, Any]:
        return context.to_dict()

    def deserialize_context(self, context: dict[str, Any]
                            ) -> nova_context.RequestContext:
        return nova_context.RequestContext.from_dict(context)


def init(conf: cfg.ConfigOpts, executor: str = 'threading') -> None:
    """Create the transports and the notifier for this process."""
    global TRANSPORT, NOTIFICATION_TRANSPORT, NOTIFIER, _executor
    _executor = executor
    # Our exceptions cross RPC as themselves (NoValidHost, NotFound...),
    # so callers can handle them by type.
    TRANSPORT = messaging.get_rpc_transport(
        conf, allowed_remote_exmods=['nova.exception'])
    NOTIFICATION_TRANSPORT = messaging.get_notification_transport(conf)
    NOTIFIER = messaging.Notifier(
        NOTIFICATION_TRANSPORT,
        serializer=RequestContextSerializer(),
        topics=['versioned_notifications'])


def executor() -> str:
    """The executor chosen at start-up (for re-initialising in workers)."""
    return _executor


def cleanup() -> None:
    global TRANSPORT, NOTIFICATION_TRANSPORT, NOTIFIER
    for transport in (TRANSPORT, NOTIFICATION_TRANSPORT):
        if transport is not None:
            transport.cleanup()
    TRANSPORT = NOTIFICATION_TRANSPORT = NOTIFIER = None


def initialized() -> bool:
    return TRANSPORT is not None


def get_client(target: messaging.Target,
               version_cap: str | None = None) -> messaging.RPCClient:
    if TRANSPORT is None:
        raise RuntimeError('nova.rpc.init() was not called')
    return messaging.get_rpc_client(
        TRANSPORT, target, version_cap=version_cap,
        serializer=RequestContextSerializer())


def get_server(target: messaging.Target,
               endpoints: list[Any]) -> messaging.MessageHandlingServer:
    if TRANSPORT is None:
        raise RuntimeError('nova.rpc.init() was not called')
    kwargs = {}
    if _executor != 'threading':
        # Threading is oslo.messaging's default; naming an executor is
        # deprecated, so do it only for the legacy eventlet mode.
        kwargs['executor'] = _executor
    return messaging.get_rpc_server(
        TRANSPORT, target, endpoints,
        serializer=RequestContextSerializer(),
        access_policy=dispatcher.DefaultRPCAccessPolicy, **kwargs)


def get_notifier(publisher_id: str) -> messaging.Notifier:
    if NOTIFIER is None:
        raise RuntimeError('nova.rpc.init() was not called')
    return NOTIFIER.prepare(publisher_id=publisher_id)


def version_cap(topic: str, known: dict[str, str]) -> str | None:
    """The RPC version to cap a client at, from ``[upgrade_levels]``.

    ``known`` maps release names (aliases operators may write) to
    versions, so ``compute = 2025.1`` works as well as ``compute = 1.3``.
    """
    pin = getattr(CONF.upgrade_levels, topic)
    if not pin:
        return None
    return known.get(pin, pin)
