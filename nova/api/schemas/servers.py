"""Request schemas of servers (create, update, list)."""

from __future__ import annotations

import copy
from typing import Any

from nova.api.schemas import parameter_types

_network = {
    'type': 'object',
    'properties': {
        'uuid': {'type': 'string', 'format': 'uuid'},
        'fixed_ip': {'type': 'string', 'oneOf': [{'format': 'ipv4'},
                                                 {'format': 'ipv6'}]},
        'port': {'type': ['string', 'null'], 'format': 'uuid'},
    },
    'additionalProperties': False,
}

_hints = {
    'type': 'object',
    'properties': {
        'group': {'type': 'string', 'format': 'uuid'},
        'different_host': {'oneOf': [
            {'type': 'string', 'format': 'uuid'},
            {'type': 'array', 'items': {'type': 'string',
                                        'format': 'uuid'}}]},
        'same_host': {'oneOf': [
            {'type': 'string', 'format': 'uuid'},
            {'type': 'array', 'items': {'type': 'string',
                                        'format': 'uuid'}}]},
        'query': {'type': ['string', 'object']},
        'target_cell': {'type': 'string'},
        'different_cell': {'type': ['string', 'array']},
        'build_near_host_ip': {'type': 'string', 'oneOf': [
            {'format': 'ipv4'}, {'format': 'ipv6'}]},
        'cidr': {'type': 'string', 'pattern': '^/[0-9a-f.:]+$'},
    },
    # Custom filters may read hints we do not know.
    'additionalProperties': True,
}

_personality = {
    'type': 'array',
    'items': {'type': 'object',
              'properties': {'path': {'type': 'string'},
                             'contents': {'type': 'string',
                                          'format': 'base64'}},
              'additionalProperties': False}}

_base_server = {
    'name': parameter_types.name,
    'imageRef': {'type': 'string', 'maxLength': 1024},
    'flavorRef': {'type': ['string', 'integer'], 'minLength': 1},
    'adminPass': {'type': 'string'},
    'metadata': parameter_types.metadata,
    'availability_zone': {'type': 'string', 'minLength': 1,
                          'maxLength': 255},
    'key_name': {'type': 'string', 'minLength': 1, 'maxLength': 255},
    'user_data': {'type': 'string', 'format': 'base64',
                  'maxLength': 65535},
    'min_count': parameter_types.positive_integer,
    'max_count': parameter_types.positive_integer,
    'return_reservation_id': parameter_types.boolean,
    'security_groups': {'type': 'array', 'items': {
        'type': 'object', 'properties': {'name': {'type': 'string'}},
        'additionalProperties': False}},
    'config_drive': parameter_types.boolean,
    'accessIPv4': {'type': 'string', 'format': 'ipv4'},
    'accessIPv6': {'type': 'string', 'format': 'ipv6'},
    'OS-DCF:diskConfig': {'type': 'string', 'enum': ['AUTO', 'MANUAL']},
    'networks': {'type': 'array', 'items': _network},
    'personality': _personality,
}


# 2.90: one RFC 1123 label; 2.94: an FQDN of such labels (<= 255).
_LABEL = '[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?'
hostname_label = {'type': 'string', 'minLength': 1, 'maxLength': 63,
                  'pattern': f'^{_LABEL}$'}
hostname_fqdn = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                 'pattern': rf'^{_LABEL}(\.{_LABEL})*\.?$'}

# 2.63: up to 50 distinct certificate ids, or null.
trusted_certs = {'type': ['array', 'null'], 'minItems': 1,
                 'maxItems': 50, 'uniqueItems': True,
                 'items': {'type': 'string', 'minLength': 1}}

# Accepted so that a request naming block devices gets a clear 400 from
# the controller (no volume service here) rather than a schema error.
_bdm = {'type': 'array', 'items': {'type': 'object'}}


def create(description: bool, networks_required: bool, tags: bool,
           personality: bool, certs: bool = False, on_host: bool = False,
           hostname: dict[str, Any] | None = None) -> dict[str, Any]:
    server = copy.deepcopy(_base_server)
    server['block_device_mapping'] = _bdm
    server['block_device_mapping_v2'] = _bdm
    if certs:
        server['trusted_image_certificates'] = trusted_certs
    if on_host:
        server['host'] = {'type': 'string', 'minLength': 1,
                          'maxLength': 255}
        server['hypervisor_hostname'] = {'type': 'string', 'minLength': 1,
                                         'maxLength': 255}
    if hostname is not None:
        server['hostname'] = hostname
    required = ['name', 'flavorRef']
    if description:
        server['description'] = parameter_types.description
    if networks_required:
        server['networks'] = {'oneOf': [
            {'type': 'array', 'items': _network},
            {'type': 'string', 'enum': ['none', 'auto']}]}
        required.append('networks')
    if tags:
        server['tags'] = {'type': 'array', 'items': parameter_types.tag,
                          'maxItems': 50}
    if not personality:
        del server['personality']
    return {
        'type': 'object',
        'properties': {
            'server': {'type': 'object', 'properties': server,
                       'required': required,
                       'additionalProperties': False},
            'os:scheduler_hints': _hints,
            'OS-SCH-HNT:scheduler_hints': _hints,
        },
        'required': ['server'],
        'additionalProperties': False,
    }


create_v21 = create(False, False, False, True)
create_v219 = create(True, False, False, True)
create_v237 = create(True, True, False, True)
create_v252 = create(True, True, True, True)
create_v257 = create(True, True, True, False)
create_v263 = create(True, True, True, False, certs=True)
create_v274 = create(True, True, True, False, certs=True, on_host=True)
create_v290 = create(True, True, True, False, certs=True, on_host=True,
                     hostname=hostname_label)
create_v294 = create(True, True, True, False, certs=True, on_host=True,
                     hostname=hostname_fqdn)


def update(description: bool,
           hostname: dict[str, Any] | None = None) -> dict[str, Any]:
    server = {
        'name': parameter_types.name,
        'accessIPv4': {'type': 'string', 'format': 'ipv4'},
        'accessIPv6': {'type': 'string', 'format': 'ipv6'},
        'OS-DCF:diskConfig': {'type': 'string',
                              'enum': ['AUTO', 'MANUAL']},
    }
    if description:
        server['description'] = parameter_types.description
    if hostname is not None:
        server['hostname'] = hostname
    return {
        'type': 'object',
        'properties': {'server': {'type': 'object', 'properties': server,
                                  'additionalProperties': False}},
        'required': ['server'],
        'additionalProperties': False,
    }


update_v21 = update(False)
update_v219 = update(True)
update_v290 = update(True, hostname_label)
update_v294 = update(True, hostname_fqdn)

_multi = parameter_types.multi_params
_single = parameter_types.single_param
_str = {'type': 'string'}

index_query = {
    'type': 'object',
    'properties': {
        'name': _single(_str), 'status': _multi(_str),
        'image': _single(_str), 'flavor': _single(_str),
        'host': _single(_str), 'node': _single(_str),
        'ip': _single(_str), 'ip6': _single(_str),
        'reservation_id': _single(_str),
        'changes-since': _single({'type': 'string',
                                  'format': 'date-time'}),
        'all_tenants': _single(_str), 'project_id': _single(_str),
        'tenant_id': _single(_str), 'user_id': _single(_str),
        'deleted': _single(parameter_types.query_boolean),
        'availability_zone': _single(_str), 'key_name': _single(_str),
        'locked': _single(parameter_types.query_boolean),
        'tags': _single(_str), 'tags-any': _single(_str),
        'not-tags': _single(_str), 'not-tags-any': _single(_str),
        'sort_key': _multi(_str), 'sort_dir': _multi(
            {'type': 'string', 'enum': ['asc', 'desc']}),
        'limit': _single(parameter_types.query_non_negative_int),
        'marker': _single(_str),
        'changes-before': _single({'type': 'string',
                                   'format': 'date-time'}),
        # 2.83 (admins: always) filters.
        'config_drive': _single(_str),
        'created_at': _single({'type': 'string', 'format': 'date-time'}),
        'launched_at': _single({'type': 'string', 'format': 'date-time'}),
        'terminated_at': _single({'type': 'string',
                                  'format': 'date-time'}),
        'power_state': _single({'type': 'string',
                                'pattern': '^-?[0-9]+$'}),
        'task_state': _multi(_str), 'vm_state': _multi(_str),
        'progress': _single({'type': 'string', 'pattern': '^[0-9]+$'}),
    },
    # Before 2.75 unknown query parameters are ignored, as upstream.
    'additionalProperties': True,
}

# Parameters upstream knows but we do not filter on: still accepted (and
# ignored, as upstream ignores non-admin filters) once 2.75 closes the
# schema, so that only real typos are refused.
_IGNORED = ('launch_index', 'image_ref', 'kernel_id', 'ramdisk_id',
            'hostname', 'display_name', 'description',
            'display_description', 'locked_by', 'uuid',
            'root_device_name', 'access_ip_v4', 'access_ip_v6',
            'auto_disk_config', 'soft_deleted', 'block_device_mapping',
            'services', 'metadata', 'system_metadata', 'info_cache',
            'security_groups', 'pci_devices')
index_query_v275 = copy.deepcopy(index_query)
index_query_v275['properties'].update(
    {name: _multi(_str) for name in _IGNORED})
index_query_v275['additionalProperties'] = False
