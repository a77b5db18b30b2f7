"""Who may see and change an image; shared by every image backend and
the image endpoint, so the rules are the same everywhere.

Like Glance's defaults: everyone sees public and community images,
projects see their own, admins see everything. Only the owner (or an
admin) changes an image; only an admin makes one public.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

WRITER_ROLES = frozenset(('admin', 'manager', 'member'))


def visible(context: Any, image: Mapping[str, Any]) -> bool:
    """Whether the caller may see ``image`` at all (else: 404)."""
    return bool(context.is_admin or
                image.get('visibility') in ('public', 'community') or
                image.get('owner') == context.project_id)


def may_write(context: Any) -> bool:
    """Readers (and roles we do not know) only read."""
    return bool(context.is_admin or
                WRITER_ROLES.intersection(context.roles or ()))


def may_modify(context: Any, image: Mapping[str, Any]) -> bool:
    """The owner or an admin changes an image, if allowed to write."""
    return may_write(context) and bool(
        context.is_admin or image.get('owner') == context.project_id)
