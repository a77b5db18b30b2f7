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

# 2.66: changes-before beside changes-since.
index_query_v266 = copy.deepcopy(index_query_v259)
index_query_v266['properties']['changes-before'] = _since
actions_query_v266 = copy.deepcopy(actions_query_v258)
actions_query_v266['properties']['changes-before'] = _since

# 2.80: user_id and project_id filters.
index_query_v280 = copy.deepcopy(index_query_v266)
index_query_v280['properties']['user_id'] = _string
index_query_v280['properties']['project_id'] = _string

# POST /servers/{id}/migrations/{migration_id}/action (2.22).
force_complete = {
    'type': 'object',
    'properties': {'force_complete': {'type': 'null'}},
    'required': ['force_complete'],
    'additionalProperties': False,
}
