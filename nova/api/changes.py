"""The changes-since / changes-before query window of list APIs.

``changes-since`` (2.1 on servers, 2.58/2.59 on instance actions and
migrations) and ``changes-before`` (2.66) bound ``updated_at``, both
inclusive; a window that ends before it starts is a bad request.
"""

from __future__ import annotations

import datetime
from typing import Any

from oslo_utils import timeutils

from nova import exception
from nova.api import microversion as mv
from nova.i18n import _


def window(req: Any) -> tuple[datetime.datetime | None,
                              datetime.datetime | None]:
    """(since, before) as naive UTC datetimes, None where not asked;
    ``changes-before`` counts only from 2.66."""
    since = _parse(req.GET.get('changes-since'))
    before = _parse(req.GET.get('changes-before')) if \
        req.is_at_least(mv.CHANGES_BEFORE) else None
    if since is not None and before is not None and since > before:
        raise exception.Invalid(reason=_(
            'The value of changes-since must be less than or equal to '
            'changes-before.'))
    return since, before


def _parse(text: str | None) -> datetime.datetime | None:
    if not text:
        return None
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(text))
    except ValueError as exc:
        raise exception.Invalid(reason=str(exc)) from None
