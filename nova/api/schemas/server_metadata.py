"""Request schemas of servers/{server_id}/metadata."""

import copy

from nova.api.schemas import parameter_types

# POST (merge) and PUT (replace all) of the whole metadata.
update_all = {
    'type': 'object',
    'properties': {'metadata': parameter_types.metadata},
    'required': ['metadata'],
    'additionalProperties': False,
}
create = copy.deepcopy(update_all)

_one_item = copy.deepcopy(parameter_types.metadata)
_one_item.update({'minProperties': 1, 'maxProperties': 1})

# PUT of one key: exactly one item, whose key the controller checks.
update = {
    'type': 'object',
    'properties': {'meta': _one_item},
    'required': ['meta'],
    'additionalProperties': False,
}
