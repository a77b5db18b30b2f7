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
