"""Instances and the rows that belong to them.

Instances and their child rows are soft deleted: the API lists deleted
servers (``changes-since``, usage audits) and their actions. Children are
soft deleted together with their instance, so the children of a live
instance are always live and no relationship needs a ``deleted`` filter.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from nova.db.models import base

_UUID = sa.String(36)


class Instance(base.Base, base.TimestampMixin, base.SoftDeleteMixin):
    __tablename__ = 'instances'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
        sa.Index('instances_project_id_idx', 'project_id'),
        sa.Index('instances_host_node_idx', 'host', 'node'),
        sa.Index('instances_reservation_id_idx', 'reservation_id'),
        sa.Index('instances_deleted_created_at_idx', 'deleted',
                 'created_at'),
        sa.Index('instances_updated_at_idx', 'updated_at'),
        sa.Index('instances_task_state_updated_at_idx', 'task_state',
                 'updated_at'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(_UUID)
    user_id: Mapped[str | None] = mapped_column(sa.String(255))
    project_id: Mapped[str | None] = mapped_column(sa.String(255))
    display_name: Mapped[str | None] = mapped_column(sa.String(255))
    display_description: Mapped[str | None] = mapped_column(sa.Text)
    hostname: Mapped[str | None] = mapped_column(sa.String(255))
    host: Mapped[str | None] = mapped_column(sa.String(255))
    node: Mapped[str | None] = mapped_column(sa.String(255))
    launched_on: Mapped[str | None] = mapped_column(sa.Text)
    image_ref: Mapped[str | None] = mapped_column(sa.String(255))
    # No foreign key: a flavor may be deleted while instances still run
    # with it; the flavor as booked is kept in instance_extra.flavor.
    instance_type_id: Mapped[int | None] = mapped_column(sa.Integer)
    vcpus: Mapped[int | None] = mapped_column(sa.Integer)
    memory_mb: Mapped[int | None] = mapped_column(sa.Integer)
    root_gb: Mapped[int | None] = mapped_column(sa.Integer)
    ephemeral_gb: Mapped[int | None] = mapped_column(sa.Integer)
    swap: Mapped[int] = mapped_column(sa.Integer, default=0)
    vm_state: Mapped[str | None] = mapped_column(sa.String(255))
    task_state: Mapped[str | None] = mapped_column(sa.String(255))
    power_state: Mapped[int | None] = mapped_column(sa.Integer)
    key_name: Mapped[str | None] = mapped_column(sa.String(255))
    key_data: Mapped[str | None] = mapped_column(base.MediumText)
    user_data: Mapped[str | None] = mapped_column(base.MediumText)
    reservation_id: Mapped[str | None] = mapped_column(sa.String(255))
    launch_index: Mapped[int | None] = mapped_column(sa.Integer)
    availability_zone: Mapped[str | None] = mapped_column(sa.String(255))
    config_drive: Mapped[str | None] = mapped_column(sa.String(255))
    locked: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    locked_by: Mapped[str | None] = mapped_column(sa.String(255))
    access_ip_v4: Mapped[str | None] = mapped_column(sa.String(39))
    access_ip_v6: Mapped[str | None] = mapped_column(sa.String(39))
    launched_at: Mapped[datetime.datetime | None] = mapped_column(
        base.DateTime)
    terminated_at: Mapped[datetime.datetime | None] = mapped_column(
        base.DateTime)
    scheduled_at: Mapped[datetime.datetime | None] = mapped_column(
        base.DateTime)
    progress: Mapped[int | None] = mapped_column(sa.Integer)
    os_type: Mapped[str | None] = mapped_column(sa.String(255))
    architecture: Mapped[str | None] = mapped_column(sa.String(255))
    root_device_name: Mapped[str | None] = mapped_column(sa.String(255))
    cleaned: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    hidden: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=base.false_default())
    ephemeral_key_uuid: Mapped[str | None] = mapped_column(_UUID)


class InstanceMetadata(base.Base, base.TimestampMixin,
                       base.SoftDeleteMixin):
    """User-visible key/value pairs of an instance."""

    __tablename__ = 'instance_metadata'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'instance_uuid', 'key', 'deleted',
            name='uniq_instance_metadata0instance_uuid0key0deleted'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_uuid: Mapped[str] = mapped_column(
        _UUID, sa.ForeignKey('instances.uuid'))
    key: Mapped[str] = mapped_column(sa.String(255))
    value: Mapped[str | None] = mapped_column(sa.String(255))


class InstanceSystemMetadata(base.Base, base.TimestampMixin,
                             base.SoftDeleteMixin):
    """Key/value pairs the services keep about an instance."""

    __tablename__ = 'instance_system_metadata'
    __table_args__ = base.table_args(
        sa.UniqueConstraint(
            'instance_uuid', 'key', 'deleted',
            name='uniq_instance_system_metadata0instance_uuid0key0deleted'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_uuid: Mapped[str] = mapped_column(
        _UUID, sa.ForeignKey('instances.uuid'))
    key: Mapped[str] = mapped_column(sa.String(255))
    value: Mapped[str | None] = mapped_column(sa.String(255))


class InstanceExtra(base.Base, base.TimestampMixin, base.SoftDeleteMixin):
    """Structured per-instance data, each column a JSON document."""

    __tablename__ = 'instance_extra'
    __table_args__ = base.table_args(
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_instance_extra0instance_uuid'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_uuid: Mapped[str] = mapped_column(
        _UUID, sa.ForeignKey('instances.uuid'))
    flavor: Mapped[str | None] = mapped_column(sa.Text)
    numa_topology: Mapped[str | None] = mapped_column(sa.Text)
    pci_requests: Mapped[str | None] = mapped_column(sa.Text)
    trusted_certs: Mapped[str | None] = mapped_column(sa.Text)
    keypairs: Mapped[str | None] = mapped_column(sa.Text)
    resources: Mapped[str | None] = mapped_column(sa.Text)


class InstanceFault(base.Base, base.TimestampMixin, base.SoftDeleteMixin):
    """Why an instance went to ERROR; the newest one is shown."""

    __tablename__ = 'instance_faults'
    __table_args__ = base.table_args(
        sa.Index('instance_faults_instance_uuid_deleted_created_at_idx',
                 'instance_uuid', 'deleted', 'created_at'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_uuid: Mapped[str] = mapped_column(
        _UUID, sa.ForeignKey('instances.uuid'))
    code: Mapped[int] = mapped_column(sa.Integer)
    message: Mapped[str | None] = mapped_column(sa.String(255))
    details: Mapped[str | None] = mapped_column(base.MediumText)
    host: Mapped[str | None] = mapped_column(sa.String(255))


class InstanceAction(base.Base, base.TimestampMixin, base.SoftDeleteMixin):
    """One user or system request against an instance.

    No foreign key to instances: the action log is an audit trail that is
    written before the instance row may exist and is archived on its own.
    """

    __tablename__ = 'instance_actions'
    __table_args__ = base.table_args(
        sa.Index('instance_actions_instance_uuid_request_id_idx',
                 'instance_uuid', 'request_id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str | None] = mapped_column(sa.String(255))
    instance_uuid: Mapped[str | None] = mapped_column(_UUID)
    request_id: Mapped[str | None] = mapped_column(sa.String(255))
    user_id: Mapped[str | None] = mapped_column(sa.String(255))
    project_id: Mapped[str | None] = mapped_column(sa.String(255))
    start_time: Mapped[datetime.datetime | None] = mapped_column(base.DateTime)
    finish_time: Mapped[datetime.datetime | None] = mapped_column(
        base.DateTime)
    message: Mapped[str | None] = mapped_column(sa.String(255))


class InstanceActionEvent(base.Base, base.TimestampMixin,
                          base.SoftDeleteMixin):
    """A step of an action, e.g. ``compute_build_and_run_instance``."""

    __tablename__ = 'instance_actions_events'
    __table_args__ = base.table_args(
        sa.Index('instance_actions_events_action_id_idx', 'action_id'),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey('instance_actions.id'))
    event: Mapped[str | None] = mapped_column(sa.String(255))
    start_time: Mapped[datetime.datetime | None] = mapped_column(base.DateTime)
    finish_time: Mapped[datetime.datetime | None] = mapped_column(
        base.DateTime)
    result: Mapped[str | None] = mapped_column(sa.String(255))
    traceback: Mapped[str | None] = mapped_column(sa.Text)
    host: Mapped[str | None] = mapped_column(sa.String(255))
    details: Mapped[str | None] = mapped_column(sa.Text)


class Tag(base.Base):
    """A server tag; hard deleted, the API never lists deleted tags."""

    __tablename__ = 'tags'
    __table_args__ = base.table_args(
        sa.Index('tags_tag_idx', 'tag'),
    )

    resource_id: Mapped[str] = mapped_column(_UUID, primary_key=True)
    tag: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
