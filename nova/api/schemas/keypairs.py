"""Request schemas of os-keypairs."""

import copy

from nova.api.schemas import parameter_types

# Letters, digits, space, '_' and '-' until 2.92.
_name = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': '^[a-zA-Z0-9 _-]+$'}

create = {
    'type': 'object',
    'properties': {
        'keypair': {
            'type': 'object',
            'properties': {
                'name': _name,
                'public_key': {'type': 'string'},
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['keypair'],
    'additionalProperties': False,
}

create_v22 = copy.deepcopy(create)
create_v22['properties']['keypair']['properties']['type'] = {
    'type': 'string', 'enum': ['ssh', 'x509']}

create_v210 = copy.deepcopy(create_v22)
create_v210['properties']['keypair']['properties']['user_id'] = {
    'type': 'string', 'minLength': 1, 'maxLength': 255}

# 2.92: import only (public_key required); '@' and '.' allowed in names.
create_v292 = copy.deepcopy(create_v210)
create_v292['properties']['keypair']['required'] = ['name', 'public_key']
create_v292['properties']['keypair']['properties']['name'] = dict(
    _name, pattern='^[a-zA-Z0-9 @._-]+$')

_user_id = parameter_types.single_param({'type': 'string'})

index_query = {'type': 'object', 'additionalProperties': True}

index_query_v210 = {
    'type': 'object',
    'properties': {'user_id': _user_id},
    'additionalProperties': True,
}

index_query_v235 = {
    'type': 'object',
    'properties': {'user_id': _user_id, **parameter_types.paging},
    'additionalProperties': True,
}

show_query_v210 = index_query_v210
