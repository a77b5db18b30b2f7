"""Flavors, their extra specs and project access lists."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from nova.db.models import base


class Flavor(base.Base, base.TimestampMixin):
    """A hardware template; ``flavorid`` is the id API users see."""

    __tablename__ = 'flavors'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('flavorid', name='uniq_flavors0flavorid'),
        sa.UniqueConstraint('name', name='uniq_flavors0name'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    flavorid: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(255))
    memory_mb: Mapped[int] = mapped_column(sa.Integer)
    vcpus: Mapped[int] = mapped_column(sa.Integer)
    root_gb: Mapped[int | None] = mapped_column(sa.Integer)
    ephemeral_gb: Mapped[int | None] = mapped_column(sa.Integer)
    swap: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))
    rxtx_factor: Mapped[float | None] = mapped_column(sa.Float, default=1.0)
    vcpu_weight: Mapped[int | None] = mapped_column(sa.Integer)
    disabled: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    is_public: Mapped[bool] = mapped_column(
        sa.Boolean, default=True, server_default=base.true_default())
    description: Mapped[str | None] = mapped_column(sa.Text)

    extra_specs: Mapped[list[FlavorExtraSpec]] = relationship(
        lazy='selectin', cascade='all, delete-orphan', passive_deletes=True,
        order_by='FlavorExtraSpec.key')
    projects: Mapped[list[FlavorProject]] = relationship(
        lazy='selectin', cascade='all, delete-orphan', passive_deletes=True,
        order_by='FlavorProject.project_id')


class FlavorExtraSpec(base.Base, base.TimestampMixin):
    __tablename__ = 'flavor_extra_specs'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('flavor_id', 'key',
                            name='uniq_flavor_extra_specs0flavor_id0key'),
        sa.Index('flavor_extra_specs_key_idx', 'key'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    flavor_id: Mapped[int] = mapped_column(
        sa.ForeignKey('flavors.id', ondelete='CASCADE'))
    key: Mapped[str] = mapped_column(sa.String(255))
    value: Mapped[str | None] = mapped_column(sa.String(255))


class FlavorProject(base.Base, base.TimestampMixin):
    """A project that may use a private (``is_public=False``) flavor."""

    __tablename__ = 'flavor_projects'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'flavor_id', 'project_id',
            name='uniq_flavor_projects0flavor_id0project_id'),
        sa.Index('flavor_projects_project_id_idx', 'project_id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    flavor_id: Mapped[int] = mapped_column(
        sa.ForeignKey('flavors.id', ondelete='CASCADE'))
    project_id: Mapped[str] = mapped_column(sa.String(255))
