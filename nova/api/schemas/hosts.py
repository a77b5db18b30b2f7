"""Request schemas of os-hosts."""

update = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enable', 'disable',
                                              'Enable', 'Disable',
                                              'ENABLE', 'DISABLE']},
        'maintenance_mode': {'type': 'string',
                             'enum': ['enable', 'disable', 'Enable',
                                      'Disable', 'ENABLE', 'DISABLE']},
    },
    'anyOf': [{'required': ['status']}, {'required': ['maintenance_mode']}],
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'zone': {'type': 'array', 'items': {'type': 'string'}},
        'service': {'type': 'array', 'items': {'type': 'string'}},
    },
    # Upstream ignores unknown query parameters here.
    'additionalProperties': True,
}
