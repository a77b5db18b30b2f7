"""Request schemas of servers/{server_id}/tags."""

from nova.api.schemas import parameter_types

MAX_TAGS = 50

update_all = {
    'type': 'object',
    'properties': {
        'tags': {'type': 'array', 'items': parameter_types.tag,
                 'maxItems': MAX_TAGS},
    },
    'required': ['tags'],
    'additionalProperties': False,
}

# The {tag} of the URL.
tag = parameter_types.tag
