"""Quota limits and usages.

Limits come from three levels, most specific first: ``project_user_quotas``,
``quotas`` (per project), ``quota_classes`` (``default`` class for
everyone). Usages are counters that ``nova.db.api.quotas.reserve`` moves
with conditional UPDATEs, so limit checks are atomic without locks.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from nova.db.models import base

# The user_id of the project-wide usage row of a resource. Not NULL:
# NULLs never collide in a unique constraint, so two racing writers could
# each create "the" project row; an empty string collides as it should.
PROJECT_USAGE = ''


class Quota(base.Base, base.TimestampMixin):
    __tablename__ = 'quotas'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quotas0project_id0resource'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.String(255))
    resource: Mapped[str] = mapped_column(sa.String(255))
    hard_limit: Mapped[int | None] = mapped_column(sa.Integer)


class ProjectUserQuota(base.Base, base.TimestampMixin):
    __tablename__ = 'project_user_quotas'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'project_id', 'user_id', 'resource',
            name='uniq_project_user_quotas0project_id0user_id0resource'),
        sa.Index('project_user_quotas_user_id_idx', 'user_id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.String(255))
    user_id: Mapped[str] = mapped_column(sa.String(255))
    resource: Mapped[str] = mapped_column(sa.String(255))
    hard_limit: Mapped[int | None] = mapped_column(sa.Integer)


class QuotaClass(base.Base, base.TimestampMixin):
    __tablename__ = 'quota_classes'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('class_name', 'resource',
                            name='uniq_quota_classes0class_name0resource'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_name: Mapped[str] = mapped_column(sa.String(255))
    resource: Mapped[str] = mapped_column(sa.String(255))
    hard_limit: Mapped[int | None] = mapped_column(sa.Integer)


class QuotaUsage(base.Base, base.TimestampMixin):
    """What a project (``user_id == PROJECT_USAGE``) or a user uses.

    ``reserved`` counts resources held by operations still in flight; the
    limit check is ``in_use + reserved + delta <= hard_limit``.
    """

    __tablename__ = 'quota_usages'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'project_id', 'user_id', 'resource',
            name='uniq_quota_usages0project_id0user_id0resource'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[str] = mapped_column(sa.String(255))
    user_id: Mapped[str] = mapped_column(
        sa.String(255), default=PROJECT_USAGE)
    resource: Mapped[str] = mapped_column(sa.String(255))
    in_use: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))
    reserved: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))
