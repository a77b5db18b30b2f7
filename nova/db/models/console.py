"""Console authorisation tokens."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from nova.db.models import base


class ConsoleAuthToken(base.Base, base.TimestampMixin):
    """A console connection the API has authorised.

    Only the SHA-256 hash of the token is stored, so a database dump does
    not hand out live console access. ``expires`` is a UNIX timestamp.
    """

    __tablename__ = 'console_auth_tokens'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('token_hash',
                            name='uniq_console_auth_tokens0token_hash'),
        sa.Index('console_auth_tokens_instance_uuid_idx', 'instance_uuid'),
        sa.Index('console_auth_tokens_host_expires_idx', 'host', 'expires'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(255))
    console_type: Mapped[str] = mapped_column(sa.String(255))
    host: Mapped[str] = mapped_column(sa.String(255))
    port: Mapped[int] = mapped_column(sa.Integer)
    internal_access_path: Mapped[str | None] = mapped_column(sa.String(255))
    instance_uuid: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey('instances.uuid'))
    expires: Mapped[int] = mapped_column(sa.Integer)
    access_url_base: Mapped[str | None] = mapped_column(sa.String(255))
