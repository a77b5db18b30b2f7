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


def rebuild(description: bool, key_name: bool, user_data: bool,
            certs: bool, hostname: dict[str, Any] | None
            ) -> dict[str, Any]:
    """The rebuild body at a microversion (fields come and go)."""
    props: dict[str, Any] = {
        'imageRef': {'type': 'string', 'minLength': 1, 'maxLength': 1024},
        'name': parameter_types.name,
        'adminPass': {'type': 'string', 'maxLength': 255},
        'metadata': parameter_types.metadata,
        'preserve_ephemeral': {'type': 'boolean'},
        'OS-DCF:diskConfig': {'type': 'string', 'enum': ['AUTO', 'MANUAL']},
        'accessIPv4': {'type': 'string', 'format': 'ipv4'},
        'accessIPv6': {'type': 'string', 'format': 'ipv6'},
    }
    if not user_data:
        # Accepted and ignored before 2.57, like file injection upstream.
        props['personality'] = {'type': 'array', 'items': {
            'type': 'object',
            'properties': {'path': {'type': 'string'},
                           'contents': {'type': 'string',
                                        'format': 'base64'}},
            'additionalProperties': False}}
    if description:
        props['description'] = parameter_types.description
    if key_name:
        props['key_name'] = {'type': ['string', 'null'], 'minLength': 1,
                             'maxLength': 255}
    if user_data:
        props['user_data'] = {'type': ['string', 'null'],
                              'format': 'base64', 'maxLength': 65535}
    if certs:
        props['trusted_image_certificates'] = {
            'type': ['array', 'null'], 'minItems': 1, 'maxItems': 50,
            'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}
    if hostname:
        props['hostname'] = hostname
    return _body('rebuild', {'type': 'object', 'properties': props,
                             'required': ['imageRef'],
                             'additionalProperties': False})

create_image = _body('createImage', {
    'type': 'object',
    'properties': {'name': parameter_types.name,
                   'metadata': parameter_types.metadata},
    'required': ['name'], 'additionalProperties': False})

create_backup = _body('createBackup', {
    'type': 'object',
    'properties': {
        'name': parameter_types.name,
        'backup_type': {'type': 'string', 'minLength': 1,
                        'maxLength': 255},
        # At least one backup is kept: this cloud makes a backup on every
        # request (upstream's "rotation 0 only deletes" is not offered).
        'rotation': {'oneOf': [{'type': 'integer', 'minimum': 1},
                               {'type': 'string',
                                'pattern': '^[1-9][0-9]*$'}]},
        'metadata': parameter_types.metadata},
    'required': ['name', 'backup_type', 'rotation'],
    'additionalProperties': False})

shelve = _no_args('shelve')
shelve_offload = _no_args('shelveOffload')
unshelve = _no_args('unshelve')
unshelve_v277 = _body('unshelve', {
    'type': ['null', 'object'],
    'properties': {'availability_zone': {'type': 'string', 'minLength': 1,
                                         'maxLength': 255}},
    'additionalProperties': False})
unshelve_v291 = _body('unshelve', {
    'type': ['null', 'object'],
    'properties': {
        # null unpins the server from the zone it was created in.
        'availability_zone': {'type': ['string', 'null'], 'minLength': 1,
                              'maxLength': 255},
        'host': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
    'additionalProperties': False})


_hostname = {'type': 'string', 'minLength': 1, 'maxLength': 255}


def evacuate(shared_storage: bool, force: bool) -> dict[str, Any]:
    props: dict[str, Any] = {'host': _hostname,
                             'adminPass': {'type': 'string',
                                           'maxLength': 255}}
    required = []
    if shared_storage:
        props['onSharedStorage'] = {'type': 'boolean'}
        required.append('onSharedStorage')
    if force:
        props['force'] = {'type': 'boolean'}
    body: dict[str, Any] = {
        'type': 'object' if required else ['object', 'null'],
        'properties': props, 'additionalProperties': False}
    if required:
        body['required'] = required
    return _body('evacuate', body)


def migrate_live(auto: bool, force: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        'host': {'type': ['string', 'null'], 'minLength': 1,
                 'maxLength': 255},
        'block_migration': ({'type': ['boolean', 'string'],
                             'enum': [True, False, 'auto']} if auto
                            else {'type': 'boolean'})}
    required = ['host', 'block_migration']
    if not auto:
        props['disk_over_commit'] = {'type': 'boolean'}
        required.append('disk_over_commit')
    if force:
        props['force'] = {'type': 'boolean'}
    return _body('os-migrateLive', {'type': 'object', 'properties': props,
                                    'required': required,
                                    'additionalProperties': False})

remote_console = {
    'type': 'object',
    'properties': {'remote_console': {
        'type': 'object',
        'properties': {
            'protocol': {'type': 'string', 'enum': [
                'vnc', 'spice', 'serial', 'rdp', 'mks']},
            'type': {'type': 'string', 'enum': [
                'novnc', 'xvpvnc', 'spice-html5', 'spice-direct', 'serial',
                'rdp-html5', 'webmks']}},
        'required': ['protocol', 'type'], 'additionalProperties': False}},
    'required': ['remote_console'], 'additionalProperties': False}


def legacy_console(key: str, types: list[str]) -> dict[str, Any]:
    """os-getVNCConsole and friends (before 2.6)."""
    return _body(key, {'type': 'object',
                       'properties': {'type': {'type': 'string',
                                               'enum': types}},
                       'required': ['type'], 'additionalProperties': False})
