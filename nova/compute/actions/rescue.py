"""Rescue and unrescue: boot a server from a rescue image with its own
disk attached, and back. The API half; the compute half is
nova/compute/flows/guest_ops.py.
"""

from __future__ import annotations

import secrets
from typing import Any

from nova.compute import rpcapi as compute_rpcapi
from nova.compute.actions import common
from nova.image import api as image_api


def rescue(context: Any, instance: dict[str, Any],
           rescue_image_ref: str | None,
           admin_password: str | None) -> str:
    """Start the rescue; the password the rescue guest gets."""
    image_ref = rescue_image_ref or instance['image_ref']
    image_meta = image_api.API().get(context, image_ref)
    password = admin_password or secrets.token_urlsafe(9)
    updated = common.begin(context, instance, 'rescue')
    compute_rpcapi.ComputeAPI().rescue_instance(context, updated,
                                                image_meta, password)
    return password


def unrescue(context: Any, instance: dict[str, Any]) -> None:
    compute_rpcapi.ComputeAPI().unrescue_instance(
        context, common.begin(context, instance, 'unrescue'))
