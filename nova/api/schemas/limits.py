"""Query schema of GET /limits."""

from nova.api.schemas import parameter_types

index_query = {
    'type': 'object',
    'properties': {
        'tenant_id': parameter_types.single_param({'type': 'string'}),
    },
    'additionalProperties': True,
}
