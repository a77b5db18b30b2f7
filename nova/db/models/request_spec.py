"""What an instance asked the scheduler for, kept for later moves."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from nova.db.models import base


class RequestSpec(base.Base, base.TimestampMixin):
    """``spec`` is a JSON document (flavor, image, hints, group...)."""

    __tablename__ = 'request_specs'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_request_specs0instance_uuid'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_uuid: Mapped[str] = mapped_column(sa.String(36))
    spec: Mapped[str] = mapped_column(base.MediumText)
