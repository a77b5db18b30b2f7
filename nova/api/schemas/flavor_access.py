"""Request schemas of the flavor access actions."""

_tenant = {
    'type': 'object',
    'properties': {
        'tenant': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                   'pattern': r'^[^\x00-\x1f\x7f]*$'},
    },
    'required': ['tenant'],
    'additionalProperties': False,
}

add_tenant_access = {
    'type': 'object',
    'properties': {'addTenantAccess': _tenant},
    'required': ['addTenantAccess'],
    'additionalProperties': False,
}

remove_tenant_access = {
    'type': 'object',
    'properties': {'removeTenantAccess': _tenant},
    'required': ['removeTenantAccess'],
    'additionalProperties': False,
}
