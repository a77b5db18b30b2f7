"""Request schemas of flavors (list filters, create, 2.55 update)."""

import copy

from nova.api.schemas import parameter_types
from nova.compute import flavors as compute_flavors

_MAX_INT = 2 ** 31 - 1

_positive = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
             'minimum': 1, 'maximum': _MAX_INT, 'minLength': 1}
_non_negative = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
                 'minimum': 0, 'maximum': _MAX_INT, 'minLength': 1}

_flavor = {
    'type': 'object',
    'properties': {
        'name': parameter_types.name,
        # Ids are printable words; null or absent means "make a UUID".
        'id': {'type': ['string', 'number', 'null'], 'minLength': 1,
               'maxLength': 255, 'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$'},
        'ram': _positive,
        'vcpus': _positive,
        'disk': _non_negative,
        'OS-FLV-EXT-DATA:ephemeral': _non_negative,
        'swap': _non_negative,
        'rxtx_factor': {'type': ['number', 'string'],
                        'pattern': r'^[0-9]+(\.[0-9]+)?$', 'minimum': 0,
                        'exclusiveMinimum': True, 'maximum': 3.40282e38},
        'os-flavor-access:is_public': parameter_types.boolean,
    },
    'required': ['name', 'ram', 'vcpus', 'disk'],
    'additionalProperties': False,
}

create = {
    'type': 'object',
    'properties': {'flavor': _flavor},
    'required': ['flavor'],
    'additionalProperties': False,
}

create_v255 = copy.deepcopy(create)
create_v255['properties']['flavor']['properties']['description'] = \
    parameter_types.description

update_v255 = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {'description': parameter_types.description},
            'required': ['description'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'is_public': parameter_types.single_param({'type': 'string'}),
        'minRam': parameter_types.single_param({'type': 'string'}),
        'minDisk': parameter_types.single_param({'type': 'string'}),
        'sort_key': parameter_types.single_param(
            {'type': 'string', 'enum': list(compute_flavors.SORT_KEYS)}),
        'sort_dir': parameter_types.single_param(parameter_types.sort_dir),
        **parameter_types.paging,
    },
    # Unknown query parameters are ignored before 2.75.
    'additionalProperties': True,
}
