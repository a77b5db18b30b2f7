"""Formatting of values in responses, the way the Compute API shows them.
"""

from __future__ import annotations

import datetime
from typing import Any


def _as_datetime(value: Any) -> datetime.datetime | None:
    if value is None or value == '':
        return None
    if isinstance(value, str):
        from oslo_utils import timeutils
        value = timeutils.parse_isotime(value)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def isotime_us(value: Any) -> str | None:
    """``2012-10-29T13:42:02.000000`` (services, migrations, actions)."""
    value = _as_datetime(value)
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f') if value else None


def isotime_z(value: Any) -> str | None:
    """``2012-10-29T13:42:02Z`` (servers, images, keypairs at 2.x)."""
    value = _as_datetime(value)
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value else None
