"""Server groups (``instance_groups``) and their members."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from nova.db.models import base


class InstanceGroup(base.Base, base.TimestampMixin):
    """A server group: one placement policy over its member instances.

    ``rules`` is a JSON document, e.g. ``{"max_server_per_host": 2}``.
    """

    __tablename__ = 'instance_groups'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('uuid', name='uniq_instance_groups0uuid'),
        sa.Index('instance_groups_project_id_idx', 'project_id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    name: Mapped[str | None] = mapped_column(sa.String(255))
    user_id: Mapped[str | None] = mapped_column(sa.String(255))
    project_id: Mapped[str | None] = mapped_column(sa.String(255))
    policy: Mapped[str | None] = mapped_column(sa.String(255))
    rules: Mapped[str | None] = mapped_column(sa.Text)

    members: Mapped[list[InstanceGroupMember]] = relationship(
        lazy='selectin', cascade='all, delete-orphan', passive_deletes=True,
        order_by='InstanceGroupMember.id')


class InstanceGroupMember(base.Base, base.TimestampMixin):
    __tablename__ = 'instance_group_member'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'group_id', 'instance_uuid',
            name='uniq_instance_group_member0group_id0instance_uuid'),
        sa.Index('instance_group_member_instance_uuid_idx',
                 'instance_uuid'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey('instance_groups.id', ondelete='CASCADE'))
    instance_uuid: Mapped[str] = mapped_column(sa.String(36))
