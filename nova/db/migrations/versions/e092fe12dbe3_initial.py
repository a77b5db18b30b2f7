"""Initial schema.

Written by hand, table by table; never generated at run time. Tables are
created parents first and dropped children first.

Revision ID: e092fe12dbe3
Revises:
Create Date: 2025-01-01 00:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = 'e092fe12dbe3'
down_revision = None
branch_labels = None
depends_on = None

# InnoDB for transactions and foreign keys; utf8mb4 for any Unicode text.
_MYSQL = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}

# Microseconds on MySQL too (its DATETIME drops them by default).
_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                       'mariadb')
_MEDIUM_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql', 'mariadb')


def _id():
    return sa.Column('id', sa.Integer(), nullable=False, autoincrement=True)


def _pk(table, *columns):
    return sa.PrimaryKeyConstraint(*(columns or ('id',)),
                                   name=f'{table}_pkey')


def _timestamps():
    return (sa.Column('created_at', _DATETIME, nullable=True),
            sa.Column('updated_at', _DATETIME, nullable=True))


def _soft_delete():
    return (sa.Column('deleted', sa.Integer(), nullable=False,
                      server_default=sa.text('0')),
            sa.Column('deleted_at', _DATETIME, nullable=True))


def _str(name, length=255, nullable=True, **kw):
    return sa.Column(name, sa.String(length), nullable=nullable, **kw)


def _int(name, nullable=True, **kw):
    return sa.Column(name, sa.Integer(), nullable=nullable, **kw)


def _bool(name, default=False):
    return sa.Column(name, sa.Boolean(), nullable=False,
                     server_default=sa.true() if default else sa.false())


def _fk(column, target, table, ondelete=None):
    return sa.ForeignKeyConstraint([column], [target],
                                   name=f'{table}_{column}_fkey',
                                   ondelete=ondelete)


def _upgrade_compute():
    op.create_table(
        'services',
        _id(),
        _str('uuid', 36, nullable=False),
        _str('host', nullable=False),
        _str('binary', nullable=False),
        _str('topic'),
        _int('report_count', nullable=False, server_default=sa.text('0')),
        _bool('disabled'),
        _str('disabled_reason'),
        _bool('forced_down'),
        sa.Column('last_seen_up', _DATETIME, nullable=True),
        _int('version', nullable=False, server_default=sa.text('0')),
        *_timestamps(),
        _pk('services'),
        sa.UniqueConstraint('host', 'binary',
                            name='uniq_services0host0binary'),
        sa.UniqueConstraint('uuid', name='uniq_services0uuid'),
        **_MYSQL)
    op.create_index('services_host_idx', 'services', ['host'])
    op.create_index('services_topic_idx', 'services', ['topic'])

    op.create_table(
        'compute_nodes',
        _id(),
        _str('uuid', 36, nullable=False),
        _int('service_id'),
        _str('host', nullable=False),
        _str('hypervisor_hostname', nullable=False),
        _str('hypervisor_type'),
        _int('hypervisor_version'),
        _str('host_ip', 39),
        sa.Column('cpu_info', sa.Text(), nullable=True),
        _int('vcpus', nullable=False),
        _int('memory_mb', nullable=False),
        _int('local_gb', nullable=False),
        _int('vcpus_used', nullable=False),
        _int('memory_mb_used', nullable=False),
        _int('local_gb_used', nullable=False),
        _int('running_vms', nullable=False),
        _int('free_ram_mb'),
        _int('free_disk_gb'),
        _int('disk_available_least'),
        _int('current_workload'),
        sa.Column('cpu_allocation_ratio', sa.Float(), nullable=True),
        sa.Column('ram_allocation_ratio', sa.Float(), nullable=True),
        sa.Column('disk_allocation_ratio', sa.Float(), nullable=True),
        _int('generation', nullable=False, server_default=sa.text('0')),
        _bool('mapped'),
        *_timestamps(),
        _pk('compute_nodes'),
        _fk('service_id', 'services.id', 'compute_nodes', 'CASCADE'),
        sa.UniqueConstraint(
            'host', 'hypervisor_hostname',
            name='uniq_compute_nodes0host0hypervisor_hostname'),
        sa.UniqueConstraint('uuid', name='uniq_compute_nodes0uuid'),
        **_MYSQL)
    op.create_index('compute_nodes_service_id_idx', 'compute_nodes',
                    ['service_id'])
    op.create_index('compute_nodes_hypervisor_hostname_idx',
                    'compute_nodes', ['hypervisor_hostname'])

    op.create_table(
        'inventories',
        _id(),
        _int('compute_node_id', nullable=False),
        _str('resource_class', nullable=False),
        _int('total', nullable=False),
        _int('reserved', nullable=False),
        _int('min_unit', nullable=False),
        _int('max_unit', nullable=False),
        _int('step_size', nullable=False),
        sa.Column('allocation_ratio', sa.Float(), nullable=False),
        *_timestamps(),
        _pk('inventories'),
        _fk('compute_node_id', 'compute_nodes.id', 'inventories',
            'CASCADE'),
        sa.UniqueConstraint(
            'compute_node_id', 'resource_class',
            name='uniq_inventories0compute_node_id0resource_class'),
        **_MYSQL)

    op.create_table(
        'allocations',
        _id(),
        _int('compute_node_id', nullable=False),
        _str('consumer_id', 36, nullable=False),
        _str('resource_class', nullable=False),
        _int('used', nullable=False),
        *_timestamps(),
        _pk('allocations'),
        _fk('compute_node_id', 'compute_nodes.id', 'allocations',
            'CASCADE'),
        sa.UniqueConstraint(
            'compute_node_id', 'consumer_id', 'resource_class',
            name='uniq_allocations0compute_node_id0consumer_id0'
                 'resource_class'),
        **_MYSQL)
    op.create_index('allocations_consumer_id_idx', 'allocations',
                    ['consumer_id'])


def _upgrade_instances():
    op.create_table(
        'instances',
        _id(),
        _str('uuid', 36, nullable=False),
        _str('user_id'),
        _str('project_id'),
        _str('display_name'),
        sa.Column('display_description', sa.Text(), nullable=True),
        _str('hostname'),
        _str('host'),
        _str('node'),
        sa.Column('launched_on', sa.Text(), nullable=True),
        _str('image_ref'),
        _int('instance_type_id'),
        _int('vcpus'),
        _int('memory_mb'),
        _int('root_gb'),
        _int('ephemeral_gb'),
        _int('swap', nullable=False),
        _str('vm_state'),
        _str('task_state'),
        _int('power_state'),
        _str('key_name'),
        sa.Column('key_data', _MEDIUM_TEXT, nullable=True),
        sa.Column('user_data', _MEDIUM_TEXT, nullable=True),
        _str('reservation_id'),
        _int('launch_index'),
        _str('availability_zone'),
        _str('config_drive'),
        _bool('locked'),
        _str('locked_by'),
        _str('access_ip_v4', 39),
        _str('access_ip_v6', 39),
        sa.Column('launched_at', _DATETIME, nullable=True),
        sa.Column('terminated_at', _DATETIME, nullable=True),
        sa.Column('scheduled_at', _DATETIME, nullable=True),
        _int('progress'),
        _str('os_type'),
        _str('architecture'),
        _str('root_device_name'),
        _bool('cleaned'),
        _bool('hidden'),
        _str('ephemeral_key_uuid', 36),
        *_timestamps(),
        *_soft_delete(),
        _pk('instances'),
        sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
        **_MYSQL)
    op.create_index('instances_project_id_idx', 'instances',
                    ['project_id'])
    op.create_index('instances_host_node_idx', 'instances',
                    ['host', 'node'])
    op.create_index('instances_reservation_id_idx', 'instances',
                    ['reservation_id'])
    op.create_index('instances_deleted_created_at_idx', 'instances',
                    ['deleted', 'created_at'])
    op.create_index('instances_updated_at_idx', 'instances',
                    ['updated_at'])
    op.create_index('instances_task_state_updated_at_idx', 'instances',
                    ['task_state', 'updated_at'])

    for table in ('instance_metadata', 'instance_system_metadata'):
        op.create_table(
            table,
            _id(),
            _str('instance_uuid', 36, nullable=False),
            _str('key', nullable=False),
            _str('value'),
            *_timestamps(),
            *_soft_delete(),
            _pk(table),
            _fk('instance_uuid', 'instances.uuid', table),
            sa.UniqueConstraint(
                'instance_uuid', 'key', 'deleted',
                name=f'uniq_{table}0instance_uuid0key0deleted'),
            **_MYSQL)

    op.create_table(
        'instance_extra',
        _id(),
        _str('instance_uuid', 36, nullable=False),
        sa.Column('flavor', sa.Text(), nullable=True),
        sa.Column('numa_topology', sa.Text(), nullable=True),
        sa.Column('pci_requests', sa.Text(), nullable=True),
        sa.Column('trusted_certs', sa.Text(), nullable=True),
        sa.Column('keypairs', sa.Text(), nullable=True),
        sa.Column('resources', sa.Text(), nullable=True),
        *_timestamps(),
        *_soft_delete(),
        _pk('instance_extra'),
        _fk('instance_uuid', 'instances.uuid', 'instance_extra'),
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_instance_extra0instance_uuid'),
        **_MYSQL)

    op.create_table(
        'instance_faults',
        _id(),
        _str('instance_uuid', 36, nullable=False),
        _int('code', nullable=False),
        _str('message'),
        sa.Column('details', _MEDIUM_TEXT, nullable=True),
        _str('host'),
        *_timestamps(),
        *_soft_delete(),
        _pk('instance_faults'),
        _fk('instance_uuid', 'instances.uuid', 'instance_faults'),
        **_MYSQL)
    op.create_index('instance_faults_instance_uuid_deleted_created_at_idx',
                    'instance_faults',
                    ['instance_uuid', 'deleted', 'created_at'])

    op.create_table(
        'instance_actions',
        _id(),
        _str('action'),
        _str('instance_uuid', 36),
        _str('request_id'),
        _str('user_id'),
        _str('project_id'),
        sa.Column('start_time', _DATETIME, nullable=True),
        sa.Column('finish_time', _DATETIME, nullable=True),
        _str('message'),
        *_timestamps(),
        *_soft_delete(),
        _pk('instance_actions'),
        **_MYSQL)
    op.create_index('instance_actions_instance_uuid_request_id_idx',
                    'instance_actions', ['instance_uuid', 'request_id'])

    op.create_table(
        'instance_actions_events',
        _id(),
        _int('action_id', nullable=False),
        _str('event'),
        sa.Column('start_time', _DATETIME, nullable=True),
        sa.Column('finish_time', _DATETIME, nullable=True),
        _str('result'),
        sa.Column('traceback', sa.Text(), nullable=True),
        _str('host'),
        sa.Column('details', sa.Text(), nullable=True),
        *_timestamps(),
        *_soft_delete(),
        _pk('instance_actions_events'),
        _fk('action_id', 'instance_actions.id', 'instance_actions_events'),
        **_MYSQL)
    op.create_index('instance_actions_events_action_id_idx',
                    'instance_actions_events', ['action_id'])

    op.create_table(
        'tags',
        _str('resource_id', 36, nullable=False),
        _str('tag', 80, nullable=False),
        _pk('tags', 'resource_id', 'tag'),
        **_MYSQL)
    op.create_index('tags_tag_idx', 'tags', ['tag'])


def _upgrade_flavors_and_keypairs():
    op.create_table(
        'flavors',
        _id(),
        _str('flavorid', nullable=False),
        _str('name', nullable=False),
        _int('memory_mb', nullable=False),
        _int('vcpus', nullable=False),
        _int('root_gb'),
        _int('ephemeral_gb'),
        _int('swap', nullable=False, server_default=sa.text('0')),
        sa.Column('rxtx_factor', sa.Float(), nullable=True),
        _int('vcpu_weight'),
        _bool('disabled'),
        _bool('is_public', default=True),
        sa.Column('description', sa.Text(), nullable=True),
        *_timestamps(),
        _pk('flavors'),
        sa.UniqueConstraint('flavorid', name='uniq_flavors0flavorid'),
        sa.UniqueConstraint('name', name='uniq_flavors0name'),
        **_MYSQL)

    op.create_table(
        'flavor_extra_specs',
        _id(),
        _int('flavor_id', nullable=False),
        _str('key', nullable=False),
        _str('value'),
        *_timestamps(),
        _pk('flavor_extra_specs'),
        _fk('flavor_id', 'flavors.id', 'flavor_extra_specs', 'CASCADE'),
        sa.UniqueConstraint('flavor_id', 'key',
                            name='uniq_flavor_extra_specs0flavor_id0key'),
        **_MYSQL)
    op.create_index('flavor_extra_specs_key_idx', 'flavor_extra_specs',
                    ['key'])

    op.create_table(
        'flavor_projects',
        _id(),
        _int('flavor_id', nullable=False),
        _str('project_id', nullable=False),
        *_timestamps(),
        _pk('flavor_projects'),
        _fk('flavor_id', 'flavors.id', 'flavor_projects', 'CASCADE'),
        sa.UniqueConstraint(
            'flavor_id', 'project_id',
            name='uniq_flavor_projects0flavor_id0project_id'),
        **_MYSQL)
    op.create_index('flavor_projects_project_id_idx', 'flavor_projects',
                    ['project_id'])

    op.create_table(
        'key_pairs',
        _id(),
        _str('name', nullable=False),
        _str('user_id', nullable=False),
        _str('fingerprint'),
        sa.Column('public_key', sa.Text(), nullable=True),
        sa.Column('type', sa.Enum('ssh', 'x509', name='keypair_types'),
                  nullable=False),
        *_timestamps(),
        _pk('key_pairs'),
        sa.UniqueConstraint('user_id', 'name',
                            name='uniq_key_pairs0user_id0name'),
        **_MYSQL)


def _upgrade_quotas():
    op.create_table(
        'quotas',
        _id(),
        _str('project_id', nullable=False),
        _str('resource', nullable=False),
        _int('hard_limit'),
        *_timestamps(),
        _pk('quotas'),
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quotas0project_id0resource'),
        **_MYSQL)

    op.create_table(
        'project_user_quotas',
        _id(),
        _str('project_id', nullable=False),
        _str('user_id', nullable=False),
        _str('resource', nullable=False),
        _int('hard_limit'),
        *_timestamps(),
        _pk('project_user_quotas'),
        sa.UniqueConstraint(
            'project_id', 'user_id', 'resource',
            name='uniq_project_user_quotas0project_id0user_id0resource'),
        **_MYSQL)
    op.create_index('project_user_quotas_user_id_idx',
                    'project_user_quotas', ['user_id'])

    op.create_table(
        'quota_classes',
        _id(),
        _str('class_name', nullable=False),
        _str('resource', nullable=False),
        _int('hard_limit'),
        *_timestamps(),
        _pk('quota_classes'),
        sa.UniqueConstraint('class_name', 'resource',
                            name='uniq_quota_classes0class_name0resource'),
        **_MYSQL)

    op.create_table(
        'quota_usages',
        _id(),
        _str('project_id', nullable=False),
        _str('user_id', nullable=False),
        _str('resource', nullable=False),
        _int('in_use', nullable=False, server_default=sa.text('0')),
        _int('reserved', nullable=False, server_default=sa.text('0')),
        *_timestamps(),
        _pk('quota_usages'),
        sa.UniqueConstraint(
            'project_id', 'user_id', 'resource',
            name='uniq_quota_usages0project_id0user_id0resource'),
        **_MYSQL)


def _upgrade_groups_and_aggregates():
    op.create_table(
        'instance_groups',
        _id(),
        _str('uuid', 36, nullable=False),
        _str('name'),
        _str('user_id'),
        _str('project_id'),
        _str('policy'),
        sa.Column('rules', sa.Text(), nullable=True),
        *_timestamps(),
        _pk('instance_groups'),
        sa.UniqueConstraint('uuid', name='uniq_instance_groups0uuid'),
        **_MYSQL)
    op.create_index('instance_groups_project_id_idx', 'instance_groups',
                    ['project_id'])

    op.create_table(
        'instance_group_member',
        _id(),
        _int('group_id', nullable=False),
        _str('instance_uuid', 36, nullable=False),
        *_timestamps(),
        _pk('instance_group_member'),
        _fk('group_id', 'instance_groups.id', 'instance_group_member',
            'CASCADE'),
        sa.UniqueConstraint(
            'group_id', 'instance_uuid',
            name='uniq_instance_group_member0group_id0instance_uuid'),
        **_MYSQL)
    op.create_index('instance_group_member_instance_uuid_idx',
                    'instance_group_member', ['instance_uuid'])

    op.create_table(
        'aggregates',
        _id(),
        _str('uuid', 36, nullable=False),
        _str('name', nullable=False),
        *_timestamps(),
        _pk('aggregates'),
        sa.UniqueConstraint('uuid', name='uniq_aggregates0uuid'),
        sa.UniqueConstraint('name', name='uniq_aggregates0name'),
        **_MYSQL)

    op.create_table(
        'aggregate_hosts',
        _id(),
        _int('aggregate_id', nullable=False),
        _str('host', nullable=False),
        *_timestamps(),
        _pk('aggregate_hosts'),
        _fk('aggregate_id', 'aggregates.id', 'aggregate_hosts', 'CASCADE'),
        sa.UniqueConstraint('aggregate_id', 'host',
                            name='uniq_aggregate_hosts0aggregate_id0host'),
        **_MYSQL)
    op.create_index('aggregate_hosts_host_idx', 'aggregate_hosts',
                    ['host'])

    op.create_table(
        'aggregate_metadata',
        _id(),
        _int('aggregate_id', nullable=False),
        _str('key', nullable=False),
        _str('value', nullable=False),
        *_timestamps(),
        _pk('aggregate_metadata'),
        _fk('aggregate_id', 'aggregates.id', 'aggregate_metadata',
            'CASCADE'),
        sa.UniqueConstraint('aggregate_id', 'key',
                            name='uniq_aggregate_metadata0aggregate_id0key'),
        **_MYSQL)
    op.create_index('aggregate_metadata_key_idx', 'aggregate_metadata',
                    ['key'])


def _upgrade_migrations_and_specs():
    op.create_table(
        'migrations',
        _id(),
        _str('uuid', 36, nullable=False),
        _str('source_compute'),
        _str('dest_compute'),
        _str('source_node'),
        _str('dest_node'),
        _str('dest_host'),
        _int('old_instance_type_id'),
        _int('new_instance_type_id'),
        _str('instance_uuid', 36),
        _str('status'),
        _str('migration_type'),
        _bool('hidden'),
        sa.Column('memory_total', sa.BigInteger(), nullable=True),
        sa.Column('memory_processed', sa.BigInteger(), nullable=True),
        sa.Column('memory_remaining', sa.BigInteger(), nullable=True),
        sa.Column('disk_total', sa.BigInteger(), nullable=True),
        sa.Column('disk_processed', sa.BigInteger(), nullable=True),
        sa.Column('disk_remaining', sa.BigInteger(), nullable=True),
        _bool('cross_cell_move'),
        _str('user_id'),
        _str('project_id'),
        *_timestamps(),
        *_soft_delete(),
        _pk('migrations'),
        sa.UniqueConstraint('uuid', name='uniq_migrations0uuid'),
        **_MYSQL)
    op.create_index('migrations_instance_uuid_status_idx', 'migrations',
                    ['instance_uuid', 'status'])
    op.create_index('migrations_source_compute_status_idx', 'migrations',
                    ['source_compute', 'status'])
    op.create_index('migrations_dest_compute_status_idx', 'migrations',
                    ['dest_compute', 'status'])
    op.create_index('migrations_deleted_updated_at_idx', 'migrations',
                    ['deleted', 'updated_at'])

    op.create_table(
        'request_specs',
        _id(),
        _str('instance_uuid', 36, nullable=False),
        sa.Column('spec', _MEDIUM_TEXT, nullable=False),
        *_timestamps(),
        _pk('request_specs'),
        sa.UniqueConstraint('instance_uuid',
                            name='uniq_request_specs0instance_uuid'),
        **_MYSQL)

    op.create_table(
        'console_auth_tokens',
        _id(),
        _str('token_hash', nullable=False),
        _str('console_type', nullable=False),
        _str('host', nullable=False),
        _int('port', nullable=False),
        _str('internal_access_path'),
        _str('instance_uuid', 36, nullable=False),
        _int('expires', nullable=False),
        _str('access_url_base'),
        *_timestamps(),
        _pk('console_auth_tokens'),
        _fk('instance_uuid', 'instances.uuid', 'console_auth_tokens'),
        sa.UniqueConstraint('token_hash',
                            name='uniq_console_auth_tokens0token_hash'),
        **_MYSQL)
    op.create_index('console_auth_tokens_instance_uuid_idx',
                    'console_auth_tokens', ['instance_uuid'])
    op.create_index('console_auth_tokens_host_expires_idx',
                    'console_auth_tokens', ['host', 'expires'])


def _upgrade_images():
    op.create_table(
        'images',
        _str('id', 36, nullable=False),
        _str('name'),
        _str('status', 30, nullable=False),
        _str('visibility', 20, nullable=False, server_default='shared'),
        _bool('protected'),
        _str('disk_format', 20),
        _str('container_format', 20),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('virtual_size', sa.BigInteger(), nullable=True),
        _str('checksum', 32),
        _str('os_hash_algo', 64),
        _str('os_hash_value', 128),
        _int('min_disk', nullable=False, server_default=sa.text('0')),
        _int('min_ram', nullable=False, server_default=sa.text('0')),
        _str('owner'),
        sa.Column('location', sa.Text(), nullable=True),
        *_timestamps(),
        *_soft_delete(),
        _pk('images'),
        **_MYSQL)
    op.create_index('images_owner_idx', 'images', ['owner'])
    op.create_index('images_visibility_idx', 'images', ['visibility'])
    op.create_index('images_deleted_created_at_idx', 'images',
                    ['deleted', 'created_at'])

    op.create_table(
        'image_properties',
        _id(),
        _str('image_id', 36, nullable=False),
        _str('name', nullable=False),
        sa.Column('value', sa.Text(), nullable=True),
        *_timestamps(),
        _pk('image_properties'),
        _fk('image_id', 'images.id', 'image_properties', 'CASCADE'),
        sa.UniqueConstraint('image_id', 'name',
                            name='uniq_image_properties0image_id0name'),
        **_MYSQL)
    op.create_index('image_properties_name_idx', 'image_properties',
                    ['name'])

    op.create_table(
        'image_tags',
        _id(),
        _str('image_id', 36, nullable=False),
        _str('value', nullable=False),
        *_timestamps(),
        _pk('image_tags'),
        _fk('image_id', 'images.id', 'image_tags', 'CASCADE'),
        sa.UniqueConstraint('image_id', 'value',
                            name='uniq_image_tags0image_id0value'),
        **_MYSQL)
    op.create_index('image_tags_value_idx', 'image_tags', ['value'])


def _upgrade_networks():
    op.create_table(
        'networks',
        _id(),
        _str('uuid', 36, nullable=False),
        _str('label'),
        _str('cidr', 43, nullable=False),
        _str('gateway', 39),
        _str('dns1', 39),
        _str('dns2', 39),
        _str('project_id'),
        _bool('is_default'),
        _int('mtu'),
        *_timestamps(),
        _pk('networks'),
        sa.UniqueConstraint('uuid', name='uniq_networks0uuid'),
        **_MYSQL)
    op.create_index('networks_project_id_idx', 'networks', ['project_id'])

    op.create_table(
        'fixed_ips',
        _id(),
        _int('network_id', nullable=False),
        _str('address', 39, nullable=False),
        _str('instance_uuid', 36),
        _bool('allocated'),
        _bool('leased'),
        _bool('reserved'),
        *_timestamps(),
        _pk('fixed_ips'),
        _fk('network_id', 'networks.id', 'fixed_ips'),
        sa.UniqueConstraint('network_id', 'address',
                            name='uniq_fixed_ips0network_id0address'),
        **_MYSQL)
    op.create_index('fixed_ips_instance_uuid_idx', 'fixed_ips',
                    ['instance_uuid'])
    op.create_index('fixed_ips_address_idx', 'fixed_ips', ['address'])


def upgrade() -> None:
    _upgrade_compute()
    _upgrade_instances()
    _upgrade_flavors_and_keypairs()
    _upgrade_quotas()
    _upgrade_groups_and_aggregates()
    _upgrade_migrations_and_specs()
    _upgrade_images()
    _upgrade_networks()


# Children before their parents, so foreign keys never block a drop.
_TABLES_IN_DROP_ORDER = (
    'fixed_ips', 'networks',
    'image_tags', 'image_properties', 'images',
    'console_auth_tokens', 'request_specs', 'migrations',
    'aggregate_metadata', 'aggregate_hosts', 'aggregates',
    'instance_group_member', 'instance_groups',
    'quota_usages', 'quota_classes', 'project_user_quotas', 'quotas',
    'key_pairs', 'flavor_projects', 'flavor_extra_specs', 'flavors',
    'tags', 'instance_actions_events', 'instance_actions',
    'instance_faults', 'instance_extra', 'instance_system_metadata',
    'instance_metadata', 'instances',
    'allocations', 'inventories', 'compute_nodes', 'services',
)


def downgrade() -> None:
    for table in _TABLES_IN_DROP_ORDER:
        # Dropping a table drops its indexes and constraints with it.
        op.drop_table(table)
    # PostgreSQL keeps an ENUM as a type of its own; elsewhere a no-op.
    sa.Enum(name='keypair_types').drop(op.get_bind(), checkfirst=True)
