"""Request schemas of POST /servers/{server_id}/action, one per body key.

Each schema validates the whole body (``{key: value}``), so a 400 names
the field path from the top, e.g. ``reboot/type``.
"""

from __future__ import annotations

from typing import Any

from nova.api.schemas import parameter_types


def _body(key: str, value: dict[str, Any]) -> dict[str, Any]:
    return {'type': 'object', 'properties': {key: value},
            'required': [key], 'additionalProperties': False}


def _no_args(key: str) -> dict[str, Any]:
    """Actions that take nothing: ``{"pause": null}`` (or ``{}``)."""
    return _body(key, {'type': ['null', 'object'],
                       'additionalProperties': False})


reboot = _body('reboot', {
    'type': 'object',
    'properties': {'type': {'type': 'string',
                            'enum': ['HARD', 'Hard', 'hard',
                                     'SOFT', 'Soft', 'soft']}},
    'required': ['type'], 'additionalProperties': False})

stop = _no_args('os-stop')
start = _no_args('os-start')
pause = _no_args('pause')
unpause = _no_args('unpause')
suspend = _no_args('suspend')
resume = _no_args('resume')
trigger_crash_dump = _no_args('trigger_crash_dump')
unlock = _no_args('unlock')
lock = _no_args('lock')
lock_v273 = _body('lock', {
    'type': ['null', 'object'],
    'properties': {'locked_reason': {'type': 'string', 'minLength': 1,
                                     'maxLength': 255}},
    'additionalProperties': False})

console_output = _body('os-getConsoleOutput', {
    'type': ['null', 'object'],
    'properties': {'length': {
        'oneOf': [{'type': 'integer', 'minimum': -1},
                  {'type': 'string', 'pattern': '^-?[0-9]+$'},
                  {'type': 'null'}]}},
    'additionalProperties': False})

change_password = _body('changePassword', {
    'type': 'object',
    'properties': {'adminPass': {'type': 'string', 'minLength': 0,
                                 'maxLength': 255}},
    'required': ['adminPass'], 'additionalProperties': False})

reset_state = _body('os-resetState', {
    'type': 'object',
    'properties': {'state': {'type': 'string',
                             'enum': ['active', 'error']}},
    'required': ['state'], 'additionalProperties': False})

rescue = _body('rescue', {
    'type': ['null', 'object'],
    'properties': {'adminPass': {'type': 'string', 'maxLength': 255},
                   'rescue_image_ref': parameter_types.uuid},
    'additionalProperties': False})
unrescue = _no_args('unrescue')

resize = _body('resize', {
    'type': 'object',
    'properties': {
        'flavorRef': {'type': ['string', 'integer'], 'minLength': 1},
        'OS-DCF:diskConfig': {'type': 'string',
                              'enum': ['AUTO', 'MANUAL']}},
    'required': ['flavorRef'], 'additionalProperties': False})
confirm_resize = _no_args('confirmResize')
revert_resize = _no_args('revertResize')
migrate = _no_args('migrate')
migrate_v256 = _body('migrate', {
    'type': ['null', 'object'],
    'properties': {'host': {'type': ['string', 'null'], 'minLength': 1,
                            'maxLength': 255}},
    'additionalProperties': False})

restore = _no_args('restore')
force_delete = _no_args('forceDelete')
