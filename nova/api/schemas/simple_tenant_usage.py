"""Query schemas of os-simple-tenant-usage."""

import copy

from nova.api.schemas import parameter_types

_string = parameter_types.multi_params({'type': 'string'})

index_query = {
    'type': 'object',
    'properties': {'start': _string, 'end': _string, 'detailed': _string},
    # Upstream ignores unknown query parameters here.
    'additionalProperties': True,
}

index_query_v240 = copy.deepcopy(index_query)
index_query_v240['properties'].update(parameter_types.paging)
