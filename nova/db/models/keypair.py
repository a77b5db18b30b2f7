"""SSH and x509 key pairs, owned by users."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from nova.db.models import base

KEYPAIR_TYPES = ('ssh', 'x509')


class KeyPair(base.Base, base.TimestampMixin):
    __tablename__ = 'key_pairs'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('user_id', 'name',
                            name='uniq_key_pairs0user_id0name'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    user_id: Mapped[str] = mapped_column(sa.String(255))
    fingerprint: Mapped[str | None] = mapped_column(sa.String(255))
    public_key: Mapped[str | None] = mapped_column(sa.Text)
    type: Mapped[str] = mapped_column(
        sa.Enum(*KEYPAIR_TYPES, name='keypair_types'),
        default='ssh')
