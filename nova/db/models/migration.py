"""Moves of an instance between hosts (resize, migrate, evacuate...)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from nova.db.models import base


class Migration(base.Base, base.TimestampMixin, base.SoftDeleteMixin):
    """Soft deleted: the os-migrations API lists finished migrations."""

    __tablename__ = 'migrations'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('uuid', name='uniq_migrations0uuid'),
        sa.Index('migrations_instance_uuid_status_idx', 'instance_uuid',
                 'status'),
        sa.Index('migrations_source_compute_status_idx', 'source_compute',
                 'status'),
        sa.Index('migrations_dest_compute_status_idx', 'dest_compute',
                 'status'),
        sa.Index('migrations_deleted_updated_at_idx', 'deleted',
                 'updated_at'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    source_compute: Mapped[str | None] = mapped_column(sa.String(255))
    dest_compute: Mapped[str | None] = mapped_column(sa.String(255))
    source_node: Mapped[str | None] = mapped_column(sa.String(255))
    dest_node: Mapped[str | None] = mapped_column(sa.String(255))
    dest_host: Mapped[str | None] = mapped_column(sa.String(255))
    old_instance_type_id: Mapped[int | None] = mapped_column(sa.Integer)
    new_instance_type_id: Mapped[int | None] = mapped_column(sa.Integer)
    instance_uuid: Mapped[str | None] = mapped_column(sa.String(36))
    status: Mapped[str | None] = mapped_column(sa.String(255))
    migration_type: Mapped[str | None] = mapped_column(sa.String(255))
    hidden: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    memory_total: Mapped[int | None] = mapped_column(sa.BigInteger)
    memory_processed: Mapped[int | None] = mapped_column(sa.BigInteger)
    memory_remaining: Mapped[int | None] = mapped_column(sa.BigInteger)
    disk_total: Mapped[int | None] = mapped_column(sa.BigInteger)
    disk_processed: Mapped[int | None] = mapped_column(sa.BigInteger)
    disk_remaining: Mapped[int | None] = mapped_column(sa.BigInteger)
    cross_cell_move: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    user_id: Mapped[str | None] = mapped_column(sa.String(255))
    project_id: Mapped[str | None] = mapped_column(sa.String(255))
