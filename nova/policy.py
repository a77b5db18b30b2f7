"""oslo.policy enforcement: ``authorize(context, rule, target)``."""

from __future__ import annotations

import threading
from typing import Any

from oslo_config import cfg
from oslo_policy import policy

from nova import context as nova_context
from nova import exception
from nova import policies

CONF = cfg.CONF
_ENFORCER: policy.Enforcer | None = None
_LOCK = threading.Lock()


def get_enforcer(conf: cfg.ConfigOpts = CONF) -> policy.Enforcer:
    """The process-wide Enforcer (also the oslo.policy.enforcer hook)."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is None:
            enforcer = policy.Enforcer(conf)
            enforcer.register_defaults(policies.list_rules())
            enforcer.load_rules()
            _ENFORCER = enforcer
    return _ENFORCER


def reset() -> None:
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def authorize(context: nova_context.RequestContext, action: str,
              target: dict[str, Any] | None = None,
              fatal: bool = True) -> bool:
    """Check ``action`` for ``context`` on ``target``.

    The default target is the caller's own project and user, which is
    what "create in my project" actions need.
    """
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    enforcer = get_enforcer()
    try:
        return enforcer.authorize(
            action, target, context, do_raise=fatal,
            exc=exception.PolicyNotAuthorized, action=action)
    except policy.PolicyNotRegistered:
        if not fatal:
            return False
        raise exception.Forbidden(
            reason=f'no policy rule {action}') from None
