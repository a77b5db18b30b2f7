"""The image schemas (``GET /v2/schemas/image[s]``) and the validation
of what clients may write, with jsonschema.

The schema is Glance's for the attributes we store; additional
properties are strings, as in Glance.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import jsonschema

from nova import exception

DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw',
                'qcow2', 'vdi', 'iso', 'ploop']
CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker',
                     'compressed']
VISIBILITIES = ['public', 'private', 'shared', 'community']
STATUSES = ['queued', 'saving', 'active', 'killed', 'deleted',
            'uploading', 'importing', 'pending_delete', 'deactivated']

_UUID = ('^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}'
         '-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$')


def _ro(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {**schema, 'readOnly': True, 'description': description}


IMAGE: dict[str, Any] = {
    'name': 'image',
    'additionalProperties': {'type': 'string', 'maxLength': 65535},
    'properties': {
        'id': {'type': 'string', 'pattern': _UUID,
               'description': 'An identifier for the image'},
        'name': {'type': ['null', 'string'], 'maxLength': 255,
                 'description': 'Descriptive name for the image'},
        'status': _ro({'type': 'string', 'enum': STATUSES},
                      'Status of the image'),
        'visibility': {'type': 'string', 'enum': VISIBILITIES,
                       'description': 'Scope of image accessibility'},
        'protected': {'type': 'boolean',
                      'description': 'If true, image will not be '
                                     'deletable.'},
        'os_hidden': {'type': 'boolean',
                      'description': 'If true, image will not appear in '
                                     'default image list response.'},
        'checksum': _ro({'type': ['null', 'string'], 'maxLength': 32},
                        'md5 hash of image contents.'),
        'os_hash_algo': _ro({'type': ['null', 'string'], 'maxLength': 64},
                            'Algorithm to calculate the os_hash_value'),
        'os_hash_value': _ro({'type': ['null', 'string'],
                              'maxLength': 128},
                             'Hexdigest of the image contents using the '
                             'algorithm specified by the os_hash_algo'),
        'owner': {'type': ['null', 'string'], 'maxLength': 255,
                  'description': 'Owner of the image'},
        'size': _ro({'type': ['null', 'integer']},
                    'Size of image file in bytes'),
        'virtual_size': _ro({'type': ['null', 'integer']},
                            'Virtual size of image in bytes'),
        'container_format': {'type': ['null', 'string'],
                             'enum': [None] + CONTAINER_FORMATS,
                             'description': 'Format of the container'},
        'disk_format': {'type': ['null', 'string'],
                        'enum': [None] + DISK_FORMATS,
                        'description': 'Format of the disk'},
        'created_at': _ro({'type': 'string'},
                          'Date and time of image registration'),
        'updated_at': _ro({'type': 'string'},
                          'Date and time of the last image '
                          'modification'),
        'tags': {'type': 'array', 'maxItems': 128, 'uniqueItems': True,
                 'items': {'type': 'string', 'maxLength': 255},
                 'description': 'List of strings related to the image'},
        'min_ram': {'type': 'integer', 'minimum': 0,
                    'maximum': 2 ** 31 - 1,
                    'description': 'Amount of ram (in MB) required to '
                                   'boot image.'},
        'min_disk': {'type': 'integer', 'minimum': 0,
                     'maximum': 2 ** 31 - 1,
                     'description': 'Amount of disk space (in GB) '
                                    'required to boot image.'},
        'self': _ro({'type': 'string'}, 'An image self url'),
        'file': _ro({'type': 'string'}, 'An image file url'),
        'schema': _ro({'type': 'string'}, 'An image schema url'),
    },
    'links': [{'rel': 'self', 'href': '{self}'},
              {'rel': 'enclosure', 'href': '{file}'},
              {'rel': 'describedby', 'href': '{schema}'}],
}

IMAGES: dict[str, Any] = {
    'name': 'images',
    'properties': {
        'images': {'type': 'array', 'items': IMAGE},
        'schema': {'type': 'string'},
        'first': {'type': 'string'},
        'next': {'type': 'string'},
    },
    'links': [{'rel': 'first', 'href': '{first}'},
              {'rel': 'next', 'href': '{next}'},
              {'rel': 'describedby', 'href': '{schema}'}],
}

# Attributes the server sets; a client writing them gets 403, like
# Glance ("Attribute 'status' is read-only.").
READ_ONLY = frozenset(
    name for name, spec in IMAGE['properties'].items()
    if spec.get('readOnly')) | {'location', 'locations', 'direct_url',
                                'deleted', 'deleted_at', 'stores'}
# Attributes that exist on every image: never removed by a patch.
BASE = frozenset(IMAGE['properties'])
# Base attributes stored in their own columns and writable.
WRITABLE_COLUMNS = ('name', 'visibility', 'protected', 'container_format',
                    'disk_format', 'min_ram', 'min_disk', 'owner')

# Glance's defaults: image_property_quota, and the column's width.
MAX_PROPERTIES = 128
MAX_PROPERTY_NAME = 255

_VALIDATOR = jsonschema.Draft4Validator(
    {k: v for k, v in IMAGE.items() if k not in ('name', 'links')})


def image_schema() -> dict[str, Any]:
    return copy.deepcopy(IMAGE)


def images_schema() -> dict[str, Any]:
    return copy.deepcopy(IMAGES)


def validate(document: Mapping[str, Any]) -> None:
    """400 with the first problem, naming the attribute; 413 over the
    number of additional properties an image may have."""
    extra = [name for name in document if name not in BASE]
    for name in extra:
        if not name or len(name) > MAX_PROPERTY_NAME:
            raise exception.Invalid(
                reason=f'Property names are 1 to {MAX_PROPERTY_NAME} '
                       f'characters long: {name[:40]!r}...')
    if len(extra) > MAX_PROPERTIES:
        raise exception.RequestTooLarge(
            f'An image has at most {MAX_PROPERTIES} additional '
            f'properties; this one would have {len(extra)}.')
    error = jsonschema.exceptions.best_match(
        _VALIDATOR.iter_errors(dict(document)))
    if error is None:
        return
    where = '/'.join(str(p) for p in error.absolute_path) or 'image'
    raise exception.Invalid(
        reason=f'Provided object does not match schema \'image\': '
               f'{where}: {error.message}')
