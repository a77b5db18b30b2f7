"""The local image store's catalogue (Glance-compatible fields)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from nova.db.models import base


class Image(base.Base, base.TimestampMixin, base.SoftDeleteMixin):
    """An image; ``location`` is where the store keeps its bytes.

    Soft deleted because instances keep referring to their image by id
    after it is deleted, and the API shows such images as ``DELETED``.
    """

    __tablename__ = 'images'
    __table_args__ = base.table_args(
        sa.Index('images_owner_idx', 'owner'),
        sa.Index('images_visibility_idx', 'visibility'),
        sa.Index('images_deleted_created_at_idx', 'deleted', 'created_at'),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(sa.String(255))
    status: Mapped[str] = mapped_column(sa.String(30))
    visibility: Mapped[str] = mapped_column(
        sa.String(20), default='shared', server_default='shared')
    protected: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    disk_format: Mapped[str | None] = mapped_column(sa.String(20))
    container_format: Mapped[str | None] = mapped_column(sa.String(20))
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    virtual_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    checksum: Mapped[str | None] = mapped_column(sa.String(32))
    os_hash_algo: Mapped[str | None] = mapped_column(sa.String(64))
    os_hash_value: Mapped[str | None] = mapped_column(sa.String(128))
    min_disk: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))
    min_ram: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))
    owner: Mapped[str | None] = mapped_column(sa.String(255))
    location: Mapped[str | None] = mapped_column(sa.Text)

    properties: Mapped[list[ImageProperty]] = relationship(
        lazy='selectin', cascade='all, delete-orphan', passive_deletes=True,
        order_by='ImageProperty.name')
    tags: Mapped[list[ImageTag]] = relationship(
        lazy='selectin', cascade='all, delete-orphan', passive_deletes=True,
        order_by='ImageTag.value')


class ImageProperty(base.Base, base.TimestampMixin):
    """An additional (free-form) image property, e.g. ``os_distro``."""

    __tablename__ = 'image_properties'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('image_id', 'name',
                            name='uniq_image_properties0image_id0name'),
        sa.Index('image_properties_name_idx', 'name'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey('images.id', ondelete='CASCADE'))
    name: Mapped[str] = mapped_column(sa.String(255))
    value: Mapped[str | None] = mapped_column(sa.Text)


class ImageTag(base.Base, base.TimestampMixin):
    __tablename__ = 'image_tags'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('image_id', 'value',
                            name='uniq_image_tags0image_id0value'),
        sa.Index('image_tags_value_idx', 'value'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey('images.id', ondelete='CASCADE'))
    value: Mapped[str] = mapped_column(sa.String(255))
