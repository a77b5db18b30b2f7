"""Reusable JSON-schema fragments for request bodies and query strings.

Query strings are validated as ``{name: [value, ...]}`` (a name may
repeat), so query fragments describe arrays of strings.
"""

from __future__ import annotations

import copy
from typing import Any

# Printable characters without leading/trailing whitespace.
_NAME_PATTERN = r'^(?! )[^\x00-\x1f\x7f]*(?<! )$'

name = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': _NAME_PATTERN,
}

name_with_leading_trailing_spaces = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': r'^[^\x00-\x1f\x7f]*$',
}

description = {
    'type': ['string', 'null'], 'minLength': 0, 'maxLength': 255,
    'pattern': r'^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$',
}

uuid = {'type': 'string', 'format': 'uuid'}

boolean = {
    'type': ['boolean', 'string'],
    'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on',
             'YES', 'Yes', 'yes',
             False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off',
             'NO', 'No', 'no'],
}

non_negative_integer = {
    'type': ['integer', 'string'],
    'pattern': '^[0-9]*$', 'minimum': 0, 'minLength': 1,
}

positive_integer = {
    'type': ['integer', 'string'],
    'pattern': '^[0-9]*$', 'minimum': 1, 'minLength': 1,
}

metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255},
    },
    'additionalProperties': False,
}

tag = {
    'type': 'string', 'minLength': 1, 'maxLength': 60,
    'pattern': '^[^,/]*$',
}


def multi_params(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter that may be given several times."""
    return {'type': 'array', 'items': copy.deepcopy(schema)}


def single_param(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter given at most once."""
    return {'type': 'array', 'items': copy.deepcopy(schema),
            'maxItems': 1}


query_string = {'type': 'string'}

query_boolean = {
    'type': 'string',
    'enum': ['0', '1', 'true', 'false', 'True', 'False', 'TRUE',
             'FALSE', 'yes', 'no', 'on', 'off'],
}

query_non_negative_int = {'type': 'string', 'pattern': '^[0-9]+$'}

query_positive_int = {'type': 'string', 'pattern': '^[1-9][0-9]*$'}

sort_dir = {'type': 'string', 'enum': ['asc', 'desc']}

paging = {
    'limit': single_param(query_non_negative_int),
    'marker': single_param(query_string),
}


def to_bool(value: Any) -> bool:
    """Interpret a value that passed ``boolean``/``query_boolean``."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ('1', 'true', 'on', 'yes')
