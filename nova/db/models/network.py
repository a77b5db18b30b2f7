"""Networks of the built-in address manager and their fixed IPs."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from nova.db.models import base


class Network(base.Base, base.TimestampMixin):
    """A CIDR the address manager hands fixed IPs out of.

    ``project_id`` NULL means the network is shared by every project.
    """

    __tablename__ = 'networks'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('uuid', name='uniq_networks0uuid'),
        sa.Index('networks_project_id_idx', 'project_id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    label: Mapped[str | None] = mapped_column(sa.String(255))
    cidr: Mapped[str] = mapped_column(sa.String(43))
    gateway: Mapped[str | None] = mapped_column(sa.String(39))
    dns1: Mapped[str | None] = mapped_column(sa.String(39))
    dns2: Mapped[str | None] = mapped_column(sa.String(39))
    project_id: Mapped[str | None] = mapped_column(sa.String(255))
    is_default: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    mtu: Mapped[int | None] = mapped_column(sa.Integer)


class FixedIp(base.Base, base.TimestampMixin):
    """An address taken out of a network: allocated or reserved.

    A row exists only while the address is taken and is deleted on
    release; the unique (network_id, address) constraint is what makes
    handing out one address twice impossible, whatever the concurrency.
    """

    __tablename__ = 'fixed_ips'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('network_id', 'address',
                            name='uniq_fixed_ips0network_id0address'),
        sa.Index('fixed_ips_instance_uuid_idx', 'instance_uuid'),
        sa.Index('fixed_ips_address_idx', 'address'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey('networks.id'))
    address: Mapped[str] = mapped_column(sa.String(39))
    instance_uuid: Mapped[str | None] = mapped_column(sa.String(36))
    allocated: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    leased: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    reserved: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
