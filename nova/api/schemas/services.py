"""Request schemas of os-services."""

from nova.api.schemas import parameter_types

_host_binary = {
    'host': parameter_types.name_with_leading_trailing_spaces,
    'binary': parameter_types.name_with_leading_trailing_spaces,
}

enable_disable = {
    'type': 'object',
    'properties': dict(_host_binary),
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

disable_log_reason = {
    'type': 'object',
    'properties': dict(_host_binary,
                       disabled_reason=parameter_types.description),
    'required': ['host', 'binary', 'disabled_reason'],
    'additionalProperties': False,
}

force_down = {
    'type': 'object',
    'properties': dict(_host_binary, forced_down=parameter_types.boolean),
    'required': ['host', 'binary', 'forced_down'],
    'additionalProperties': False,
}

update_v253 = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
        'disabled_reason': {'type': 'string', 'minLength': 1,
                            'maxLength': 255},
        'forced_down': parameter_types.boolean,
    },
    'minProperties': 1,
    'additionalProperties': False,
}

index_query = {
    'type': 'object',
    'properties': {
        'host': parameter_types.multi_params({'type': 'string'}),
        'binary': parameter_types.multi_params({'type': 'string'}),
    },
    # Upstream ignores unknown query parameters here.
    'additionalProperties': True,
}
