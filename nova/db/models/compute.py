"""Services, compute nodes and their placement-style resources."""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from nova.db.models import base


class Service(base.Base, base.TimestampMixin):
    """One running nova-* daemon; heartbeats update ``last_seen_up``."""

    __tablename__ = 'services'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('host', 'binary',
                            name='uniq_services0host0binary'),
        sa.UniqueConstraint('uuid', name='uniq_services0uuid'),
        sa.Index('services_host_idx', 'host'),
        sa.Index('services_topic_idx', 'topic'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    host: Mapped[str] = mapped_column(sa.String(255))
    binary: Mapped[str] = mapped_column(sa.String(255))
    topic: Mapped[str | None] = mapped_column(sa.String(255))
    report_count: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))
    disabled: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    disabled_reason: Mapped[str | None] = mapped_column(sa.String(255))
    forced_down: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    last_seen_up: Mapped[datetime.datetime | None] = mapped_column(
        base.DateTime)
    version: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))


class ComputeNode(base.Base, base.TimestampMixin):
    """A hypervisor node reported by a nova-compute service.

    ``generation`` grows by one on every change to the node's inventory or
    allocations; writers compare-and-swap it so that two schedulers can
    never both claim the last free resources.
    """

    __tablename__ = 'compute_nodes'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'host', 'hypervisor_hostname',
            name='uniq_compute_nodes0host0hypervisor_hostname'),
        sa.UniqueConstraint('uuid', name='uniq_compute_nodes0uuid'),
        sa.Index('compute_nodes_service_id_idx', 'service_id'),
        sa.Index('compute_nodes_hypervisor_hostname_idx',
                 'hypervisor_hostname'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36))
    service_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey('services.id', ondelete='CASCADE'))
    host: Mapped[str] = mapped_column(sa.String(255))
    hypervisor_hostname: Mapped[str] = mapped_column(sa.String(255))
    hypervisor_type: Mapped[str | None] = mapped_column(sa.String(255))
    hypervisor_version: Mapped[int | None] = mapped_column(sa.Integer)
    host_ip: Mapped[str | None] = mapped_column(sa.String(39))
    cpu_info: Mapped[str | None] = mapped_column(sa.Text)
    vcpus: Mapped[int] = mapped_column(sa.Integer, default=0)
    memory_mb: Mapped[int] = mapped_column(sa.Integer, default=0)
    local_gb: Mapped[int] = mapped_column(sa.Integer, default=0)
    vcpus_used: Mapped[int] = mapped_column(sa.Integer, default=0)
    memory_mb_used: Mapped[int] = mapped_column(sa.Integer, default=0)
    local_gb_used: Mapped[int] = mapped_column(sa.Integer, default=0)
    running_vms: Mapped[int] = mapped_column(sa.Integer, default=0)
    free_ram_mb: Mapped[int | None] = mapped_column(sa.Integer)
    free_disk_gb: Mapped[int | None] = mapped_column(sa.Integer)
    disk_available_least: Mapped[int | None] = mapped_column(sa.Integer)
    current_workload: Mapped[int | None] = mapped_column(sa.Integer)
    cpu_allocation_ratio: Mapped[float | None] = mapped_column(sa.Float)
    ram_allocation_ratio: Mapped[float | None] = mapped_column(sa.Float)
    disk_allocation_ratio: Mapped[float | None] = mapped_column(sa.Float)
    generation: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))
    mapped: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())


class Inventory(base.Base, base.TimestampMixin):
    """How much of one resource class a node offers to claims."""

    __tablename__ = 'inventories'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'compute_node_id', 'resource_class',
            name='uniq_inventories0compute_node_id0resource_class'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compute_node_id: Mapped[int] = mapped_column(
        sa.ForeignKey('compute_nodes.id', ondelete='CASCADE'))
    resource_class: Mapped[str] = mapped_column(sa.String(255))
    total: Mapped[int] = mapped_column(sa.Integer)
    reserved: Mapped[int] = mapped_column(sa.Integer, default=0)
    min_unit: Mapped[int] = mapped_column(sa.Integer, default=1)
    max_unit: Mapped[int] = mapped_column(sa.Integer)
    step_size: Mapped[int] = mapped_column(sa.Integer, default=1)
    allocation_ratio: Mapped[float] = mapped_column(sa.Float, default=1.0)


class Allocation(base.Base, base.TimestampMixin):
    """Resources held on a node by a consumer (instance or migration)."""

    __tablename__ = 'allocations'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'compute_node_id', 'consumer_id', 'resource_class',
            name='uniq_allocations0compute_node_id0consumer_id0'
                 'resource_class'),
        sa.Index('allocations_consumer_id_idx', 'consumer_id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compute_node_id: Mapped[int] = mapped_column(
        sa.ForeignKey('compute_nodes.id', ondelete='CASCADE'))
    consumer_id: Mapped[str] = mapped_column(sa.String(36))
    resource_class: Mapped[str] = mapped_column(sa.String(255))
    used: Mapped[int] = mapped_column(sa.Integer)
