"""Host aggregates: named groups of hosts with metadata."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from nova.db.models import base


class Aggregate(base.Base, base.TimestampMixin):
    __tablename__ = 'aggregates'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('uuid', name='uniq_aggregates0uuid'),
        sa.UniqueConstraint('name', name='uniq_aggregates0name'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    name: Mapped[str] = mapped_column(sa.String(255))

    hosts: Mapped[list[AggregateHost]] = relationship(
        lazy='selectin', cascade='all, delete-orphan', passive_deletes=True,
        order_by='AggregateHost.host')
    metadata_items: Mapped[list[AggregateMetadata]] = relationship(
        lazy='selectin', cascade='all, delete-orphan', passive_deletes=True,
        order_by='AggregateMetadata.key')


class AggregateHost(base.Base, base.TimestampMixin):
    __tablename__ = 'aggregate_hosts'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('aggregate_id', 'host',
                            name='uniq_aggregate_hosts0aggregate_id0host'),
        sa.Index('aggregate_hosts_host_idx', 'host'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    aggregate_id: Mapped[int] = mapped_column(
        sa.ForeignKey('aggregates.id', ondelete='CASCADE'))
    host: Mapped[str] = mapped_column(sa.String(255))


class AggregateMetadata(base.Base, base.TimestampMixin):
    __tablename__ = 'aggregate_metadata'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('aggregate_id', 'key',
                            name='uniq_aggregate_metadata0aggregate_id0key'),
        sa.Index('aggregate_metadata_key_idx', 'key'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    aggregate_id: Mapped[int] = mapped_column(
        sa.ForeignKey('aggregates.id', ondelete='CASCADE'))
    key: Mapped[str] = mapped_column(sa.String(255))
    value: Mapped[str] = mapped_column(sa.String(255))
