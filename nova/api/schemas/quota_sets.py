"""Request schemas of os-quota-sets; the accepted keys follow the
version (network quotas go at 2.36, injected-file quotas at 2.57)."""

from nova.api.schemas import parameter_types

_MAX_INT = 2 ** 31 - 1

limit_value = {'type': ['integer', 'string'], 'pattern': '^-?[0-9]+$',
               'minimum': -1, 'maximum': _MAX_INT}

NETWORK_KEYS = ('fixed_ips', 'floating_ips', 'security_groups',
                'security_group_rules')
FILE_KEYS = ('injected_files', 'injected_file_content_bytes',
             'injected_file_path_bytes')
BASE_KEYS = ('instances', 'cores', 'ram', 'metadata_items', 'key_pairs',
             'server_groups', 'server_group_members')


def keys_for(network: bool, files: bool) -> tuple[str, ...]:
    return (BASE_KEYS + (FILE_KEYS if files else ()) +
            (NETWORK_KEYS if network else ()))


def update_schema(keys: tuple[str, ...], key: str = 'quota_set',
            force: bool = True) -> dict:
    properties = {name: limit_value for name in keys}
    if force:
        properties['force'] = parameter_types.boolean
    return {
        'type': 'object',
        'properties': {
            key: {'type': 'object', 'properties': properties,
                  'additionalProperties': False},
        },
        'required': [key],
        'additionalProperties': False,
    }


update = update_schema(keys_for(network=True, files=True))
update_v236 = update_schema(keys_for(network=False, files=True))
update_v257 = update_schema(keys_for(network=False, files=False))

user_query = {
    'type': 'object',
    'properties': {
        'user_id': parameter_types.single_param({'type': 'string'}),
    },
    'additionalProperties': True,
}
