"""Deferred delete: soft delete, restore and forceDelete (the API half).

Active when ``[compute] reclaim_instance_interval`` > 0: a delete stops
the guest and keeps everything (quota, allocations, addresses) until the
compute's reclaim task deletes it for good, a restore brings it back, or
a forceDelete deletes it at once.
"""

from __future__ import annotations

from typing import Any

from nova import exception
from nova.compute import rpcapi as compute_rpcapi
from nova.compute.actions import common
from nova.i18n import _


def soft_delete(context: Any, instance: dict[str, Any]) -> None:
    updated = common.begin(context, instance, 'soft_delete')
    compute_rpcapi.ComputeAPI().soft_delete_instance(context, updated)


def restore(context: Any, instance: dict[str, Any]) -> None:
    from nova import conf as nova_conf
    if nova_conf.CONF.compute.reclaim_instance_interval <= 0:
        raise exception.Conflict(reason=_(
            'deferred delete is off ([compute] reclaim_instance_interval '
            'is 0): there is nothing to restore'))
    compute_rpcapi.ComputeAPI().restore_instance(
        context, common.begin(context, instance, 'restore'))


def force_delete(context: Any, instance: dict[str, Any]) -> None:
    from nova.compute import api as compute_api
    common.begin(context, instance, 'forceDelete', needs_compute=False,
                 record=False)
    compute_api.API().delete(context, instance, force=True)
