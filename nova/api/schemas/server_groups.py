"""Request schemas of os-server-groups."""

import copy

from nova.api.schemas import parameter_types

create = {
    'type': 'object',
    'properties': {
        'server_group': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'policies': {
                    'type': 'array',
                    'items': {'type': 'string',
                              'enum': ['anti-affinity', 'affinity']},
                    'uniqueItems': True,
                    'minItems': 1,
                    'maxItems': 1,
                },
            },
            'required': ['name', 'policies'],
            'additionalProperties': False,
        },
    },
    'required': ['server_group'],
    'additionalProperties': False,
}

create_v215 = copy.deepcopy(create)
create_v215['properties']['server_group']['properties']['policies'][
    'items']['enum'] = ['anti-affinity', 'affinity', 'soft-anti-affinity',
                        'soft-affinity']

# 2.64: one ``policy`` and optional ``rules`` instead of ``policies``.
create_v264 = {
    'type': 'object',
    'properties': {
        'server_group': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'policy': {'type': 'string',
                           'enum': ['anti-affinity', 'affinity',
                                    'soft-anti-affinity', 'soft-affinity']},
                'rules': {
                    'type': 'object',
                    'properties': {'max_server_per_host':
                                   parameter_types.positive_integer},
                    'additionalProperties': False,
                },
            },
            'required': ['name', 'policy'],
            'additionalProperties': False,
        },
    },
    'required': ['server_group'],
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'all_projects': parameter_types.multi_params({'type': 'string'}),
        'limit': parameter_types.multi_params(
            parameter_types.query_non_negative_int),
        'offset': parameter_types.multi_params(
            parameter_types.query_non_negative_int),
    },
    # Upstream ignores unknown query parameters here until 2.75.
    'additionalProperties': True,
}
