"""Request schemas of flavor extra specs."""

_KEY = '^[a-zA-Z0-9-_:. ]{1,255}$'
# Numbers and booleans are accepted and stored as their string form.
_VALUE = {'type': ['string', 'number', 'boolean'], 'maxLength': 255}

create = {
    'type': 'object',
    'properties': {
        'extra_specs': {
            'type': 'object',
            'patternProperties': {_KEY: _VALUE},
            'additionalProperties': False,
        },
    },
    'required': ['extra_specs'],
    'additionalProperties': False,
}

update = {
    'type': 'object',
    'patternProperties': {_KEY: _VALUE},
    'minProperties': 1,
    'maxProperties': 1,
    'additionalProperties': False,
}
