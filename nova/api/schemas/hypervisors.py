"""Query schemas of os-hypervisors."""

from nova.api.schemas import parameter_types

index_query_v233 = {
    'type': 'object',
    'properties': dict(parameter_types.paging),
    # Upstream ignores unknown query parameters before 2.53.
    'additionalProperties': True,
}

index_query_v253 = {
    'type': 'object',
    'properties': dict(
        parameter_types.paging,
        hypervisor_hostname_pattern=parameter_types.single_param(
            {'type': 'string', 'minLength': 1, 'maxLength': 255}),
        with_servers=parameter_types.single_param(
            parameter_types.query_boolean)),
    'additionalProperties': False,
}

show_query_v253 = {
    'type': 'object',
    'properties': {
        'with_servers': parameter_types.single_param(
            parameter_types.query_boolean),
    },
    'additionalProperties': False,
}
