"""Query schemas of os-migrations and of server instance actions."""

import copy

from nova.api.schemas import parameter_types

_string = parameter_types.multi_params({'type': 'string'})
_since = parameter_types.single_param({'type': 'string',
                                       'format': 'date-time'})

index_query = {
    'type': 'object',
    'properties': {
        'hidden': _string,
        'host': _string,
        'instance_uuid': _string,
        'source_compute': _string,
        'status': _string,
        'migration_type': _string,
    },
    # Upstream ignores unknown query parameters before 2.59.
    'additionalProperties': True,
}

index_query_v259 = copy.deepcopy(index_query)
index_query_v259['properties'].update(parameter_types.paging)
index_query_v259['properties']['changes-since'] = _since
index_query_v259['additionalProperties'] = False

# os-instance-actions list from 2.58.
actions_query_v258 = {
    'type': 'object',
    'properties': dict(parameter_types.paging, **{'changes-since': _since}),
    'additionalProperties': False,
}
