"""Request schemas of os-aggregates."""

import copy

from nova.api.schemas import parameter_types

_zone = {
    'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
    'pattern': r'^(?! )[^\x00-\x1f\x7f:]*(?<! )$',
}

create = {
    'type': 'object',
    'properties': {
        'aggregate': {
            'type': 'object',
            'properties': {
                'name': parameter_types.name,
                'availability_zone': _zone,
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['aggregate'],
    'additionalProperties': False,
}

update = copy.deepcopy(create)
del update['properties']['aggregate']['required']
update['properties']['aggregate']['minProperties'] = 1


def _host_action() -> dict:
    return {
        'type': 'object',
        'properties': {
            'host': parameter_types.name_with_leading_trailing_spaces,
        },
        'required': ['host'],
        'additionalProperties': False,
    }


_metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {
            'type': ['string', 'null'], 'maxLength': 255},
    },
    'additionalProperties': False,
}

ACTIONS = {
    'add_host': _host_action(),
    'remove_host': _host_action(),
    'set_metadata': {
        'type': 'object',
        'properties': {'metadata': _metadata},
        'required': ['metadata'],
        'additionalProperties': False,
    },
}

action = {
    'type': 'object',
    'properties': ACTIONS,
    'minProperties': 1,
    'maxProperties': 1,
    'additionalProperties': False,
}

# 2.81: POST /os-aggregates/{id}/images
images = {
    'type': 'object',
    'properties': {
        'cache': {
            'type': 'array',
            'minItems': 1,
            'items': {
                'type': 'object',
                'properties': {'id': {'type': 'string', 'format': 'uuid'}},
                'required': ['id'],
                'additionalProperties': False,
            },
        },
    },
    'required': ['cache'],
    'additionalProperties': False,
}
