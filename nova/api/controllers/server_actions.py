"""POST /servers/{server_id}/action: one handler per body key.

``ACTIONS`` is the dispatch table: body key -> (handler, the versions
that serve it, its policy rule). A body must name exactly one action;
an unknown key or one outside its versions is a 400 that names it.
Handlers validate with the key's schema, authorize against the server's
project, and call nova.compute.actions; a state conflict is the 409 the
state table gives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nova import exception
from nova import policy
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.controllers import servers as servers_controller
from nova.api.schemas import server_actions as schemas
from nova.api.schemas import servers as server_schemas
from nova.api.views import servers as server_views
from nova.compute import api as compute_api
from nova.compute.actions import consoles
from nova.compute.actions import deferred
from nova.compute.actions import moves as moves_api
from nova.compute.actions import power
from nova.compute.actions import rebuild as rebuild_api
from nova.compute.actions import rescue as rescue_api
from nova.compute.actions import resize as resize_api
from nova.compute.actions import shelve as shelve_api
from nova.compute.actions import snapshot as snapshot_api
from nova.i18n import _

Handler = Callable[[wsgi.Request, dict[str, Any], Any], Any]


class ServerActionsController:

    def __init__(self) -> None:
        self.compute_api = compute_api.API()

    @wsgi.response(202)
    def action(self, req: wsgi.Request, id: str,
               body: Any) -> Any:
        if not isinstance(body, dict) or len(body) != 1:
            raise exception.Invalid(reason=_(
                'The request body must name exactly one action.'))
        key = next(iter(body))
        entry = ACTIONS.get(key)
        if entry is None or not req.api_version.matches(*entry.versions):
            raise exception.Invalid(reason=_(
                'There is no such action: %s') % key)
        validation.check(entry.schema(req), body, req)
        instance = self.compute_api.get(req.context, id)
        policy.authorize(req.context, entry.rule,
                         {'project_id': instance['project_id'],
                          'user_id': instance['user_id']})
        return entry.handler(req, instance, body[key])


class _Action:
    def __init__(self, handler: Handler, rule: str,
                 schema: dict[str, Any] | Callable[[wsgi.Request], dict],
                 versions: tuple[str | None, str | None] = (None, None)
                 ) -> None:
        self.handler = handler
        self.rule = rule
        self._schema = schema
        self.versions = versions

    def schema(self, req: wsgi.Request) -> dict[str, Any]:
        return self._schema(req) if callable(self._schema) else self._schema


def _reboot(req: wsgi.Request, instance: dict[str, Any], args: Any) -> None:
    power.reboot(req.context, instance, args['type'])


def _simple(fn: Callable[[Any, dict[str, Any]], None]) -> Handler:
    def handler(req: wsgi.Request, instance: dict[str, Any],
                args: Any) -> None:
        fn(req.context, instance)
    return handler


def _lock(req: wsgi.Request, instance: dict[str, Any], args: Any) -> None:
    reason = (args or {}).get('locked_reason')
    power.lock(req.context, instance, reason)


def _unlock(req: wsgi.Request, instance: dict[str, Any], args: Any) -> None:
    may_override = policy.authorize(
        req.context, 'os_compute_api:os-lock-server:unlock:unlock_override',
        {'project_id': instance['project_id']}, fatal=False)
    power.unlock(req.context, instance, may_override)


def _console_output(req: wsgi.Request, instance: dict[str, Any],
                    args: Any) -> wsgi.ResponseObject:
    length = (args or {}).get('length')
    if length is not None:
        length = int(length)
        if length < -1:
            raise exception.Invalid(reason=_(
                'length must be -1 (all) or a positive number of lines'))
        if length == -1:
            length = None
    output = power.console_output(req.context, instance, length)
    # Control characters break JSON clients; keep tabs and newlines.
    output = ''.join(c for c in output if c in '\t\n' or ord(c) >= 32)
    return wsgi.ResponseObject({'output': output}, status=200)


def _change_password(req: wsgi.Request, instance: dict[str, Any],
                     args: Any) -> None:
    power.change_password(req.context, instance, args['adminPass'])


def _reset_state(req: wsgi.Request, instance: dict[str, Any],
                 args: Any) -> None:
    power.reset_state(req.context, instance, args['state'])


def _rescue(req: wsgi.Request, instance: dict[str, Any],
            args: Any) -> wsgi.ResponseObject:
    args = args or {}
    password = rescue_api.rescue(req.context, instance,
                                 args.get('rescue_image_ref'),
                                 args.get('adminPass'))
    return wsgi.ResponseObject({'adminPass': password}, status=200)


def _resize(req: wsgi.Request, instance: dict[str, Any], args: Any) -> None:
    resize_api.resize(req.context, instance, str(args['flavorRef']))


def _confirm_resize(req: wsgi.Request, instance: dict[str, Any],
                    args: Any) -> wsgi.ResponseObject:
    resize_api.confirm(req.context, instance)
    return wsgi.ResponseObject(None, status=204)


def _migrate(req: wsgi.Request, instance: dict[str, Any],
             args: Any) -> None:
    host = (args or {}).get('host')
    if host:
        policy.authorize(req.context,
                         'os_compute_api:os-migrate-server:migrate:host',
                         {'project_id': instance['project_id']})
    resize_api.migrate(req.context, instance, host)


def _migrate_schema(req: wsgi.Request) -> dict[str, Any]:
    return schemas.migrate_v256 if req.is_at_least(mv.MIGRATE_HOST) \
        else schemas.migrate


def _rebuild(req: wsgi.Request, instance: dict[str, Any],
             args: Any) -> wsgi.ResponseObject:
    if args.get('trusted_image_certificates'):
        raise exception.Invalid(reason=_(
            'Image certificate validation is not available in this cloud; '
            'trusted_image_certificates must be null or left out.'))
    updated, password = rebuild_api.rebuild(req.context, instance, args)
    body = server_views.as_update_response(
        req, servers_controller.server_body(req, updated))
    body['adminPass'] = password
    return wsgi.ResponseObject({'server': body}, status=202)


def _rebuild_schema(req: wsgi.Request) -> dict[str, Any]:
    hostname = None
    if req.is_at_least(mv.FQDN_HOSTNAME):
        hostname = server_schemas.hostname_fqdn
    elif req.is_at_least(mv.SERVER_HOSTNAME):
        hostname = server_schemas.hostname_label
    return schemas.rebuild(
        description=req.is_at_least(mv.SERVER_DESCRIPTION),
        key_name=req.is_at_least(mv.REBUILD_KEY_NAME),
        user_data=req.is_at_least(mv.REBUILD_USER_DATA),
        certs=req.is_at_least(mv.TRUSTED_CERTS), hostname=hostname)


def _image_response(req: wsgi.Request,
                    image: dict[str, Any]) -> wsgi.ResponseObject:
    if req.is_at_least(mv.IMAGE_ID_IN_BODY):
        return wsgi.ResponseObject({'image_id': image['id']}, status=202)
    location = f"{req.application_url}/images/{image['id']}"
    return wsgi.ResponseObject(None, status=202,
                               headers={'Location': location})


def _create_image(req: wsgi.Request, instance: dict[str, Any],
                  args: Any) -> wsgi.ResponseObject:
    image = snapshot_api.create_image(req.context, instance, args['name'],
                                      args.get('metadata') or {})
    return _image_response(req, image)


def _create_backup(req: wsgi.Request, instance: dict[str, Any],
                   args: Any) -> wsgi.ResponseObject:
    image = snapshot_api.create_backup(
        req.context, instance, args['name'], args['backup_type'],
        int(args['rotation']), args.get('metadata') or {})
    return _image_response(req, image)


def _unshelve(req: wsgi.Request, instance: dict[str, Any],
              args: Any) -> None:
    args = args or {}
    host = args.get('host')
    if host:
        policy.authorize(req.context,
                         'os_compute_api:os-shelve:unshelve_to_host',
                         {'project_id': instance['project_id']})
    unpin = 'availability_zone' in args and \
        args['availability_zone'] is None
    shelve_api.unshelve(req.context, instance,
                        args.get('availability_zone'), host, unpin)


def _unshelve_schema(req: wsgi.Request) -> dict[str, Any]:
    if req.is_at_least(mv.UNSHELVE_HOST):
        return schemas.unshelve_v291
    if req.is_at_least(mv.UNSHELVE_AZ):
        return schemas.unshelve_v277
    return schemas.unshelve


def _evacuate(req: wsgi.Request, instance: dict[str, Any],
              args: Any) -> wsgi.ResponseObject:
    args = args or {}
    password = moves_api.evacuate(
        req.context, instance, args.get('host'), args.get('adminPass'),
        stopped=req.is_at_least(mv.EVACUATE_STOPPED))
    if req.is_at_least(mv.EVACUATE_NO_SHARED_STORAGE):
        return wsgi.ResponseObject(None, status=202)
    return wsgi.ResponseObject({'adminPass': password}, status=200)


def _evacuate_schema(req: wsgi.Request) -> dict[str, Any]:
    return schemas.evacuate(
        shared_storage=not req.is_at_least(mv.EVACUATE_NO_SHARED_STORAGE),
        force=req.is_at_least(mv.EVACUATE_FORCE) and
        not req.is_at_least(mv.MOVE_FORCE_REMOVED))


def _migrate_live(req: wsgi.Request, instance: dict[str, Any],
                  args: Any) -> None:
    moves_api.live_migrate(req.context, instance, args.get('host'),
                           args['block_migration'])


def _migrate_live_schema(req: wsgi.Request) -> dict[str, Any]:
    return schemas.migrate_live(
        auto=req.is_at_least(mv.LIVE_MIGRATE_AUTO),
        force=req.is_at_least(mv.LIVE_MIGRATE_FORCE) and
        not req.is_at_least(mv.MOVE_FORCE_REMOVED))


def _legacy_console(protocol: str) -> Handler:
    def handler(req: wsgi.Request, instance: dict[str, Any],
                args: Any) -> wsgi.ResponseObject:
        console = consoles.get_console(req.context, instance, protocol,
                                       args['type'])
        return wsgi.ResponseObject(
            {'console': {'type': console['type'], 'url': console['url']}},
            status=200)
    return handler


def _lock_schema(req: wsgi.Request) -> dict[str, Any]:
    return schemas.lock_v273 if req.is_at_least(mv.LOCK_REASON) \
        else schemas.lock


ACTIONS: dict[str, _Action] = {
    'reboot': _Action(_reboot, 'os_compute_api:servers:reboot',
                      schemas.reboot),
    'os-stop': _Action(_simple(power.stop), 'os_compute_api:servers:stop',
                       schemas.stop),
    'os-start': _Action(_simple(power.start),
                        'os_compute_api:servers:start', schemas.start),
    'pause': _Action(_simple(power.pause),
                     'os_compute_api:os-pause-server:pause', schemas.pause),
    'unpause': _Action(_simple(power.unpause),
                       'os_compute_api:os-pause-server:unpause',
                       schemas.unpause),
    'suspend': _Action(_simple(power.suspend),
                       'os_compute_api:os-suspend-server:suspend',
                       schemas.suspend),
    'resume': _Action(_simple(power.resume),
                      'os_compute_api:os-suspend-server:resume',
                      schemas.resume),
    'trigger_crash_dump': _Action(
        _simple(power.trigger_crash_dump),
        'os_compute_api:servers:trigger_crash_dump',
        schemas.trigger_crash_dump, (mv.CRASH_DUMP, None)),
    'lock': _Action(_lock, 'os_compute_api:os-lock-server:lock',
                    _lock_schema),
    'unlock': _Action(_unlock, 'os_compute_api:os-lock-server:unlock',
                      schemas.unlock),
    'os-getConsoleOutput': _Action(_console_output,
                                   'os_compute_api:os-console-output',
                                   schemas.console_output),
    'changePassword': _Action(_change_password,
                              'os_compute_api:os-admin-password',
                              schemas.change_password),
    'os-resetState': _Action(_reset_state,
                             'os_compute_api:os-admin-actions:reset_state',
                             schemas.reset_state),
    'rescue': _Action(_rescue, 'os_compute_api:os-rescue', schemas.rescue),
    'unrescue': _Action(_simple(rescue_api.unrescue),
                        'os_compute_api:os-unrescue', schemas.unrescue),
    'resize': _Action(_resize, 'os_compute_api:servers:resize',
                      schemas.resize),
    'confirmResize': _Action(_confirm_resize,
                             'os_compute_api:servers:confirm_resize',
                             schemas.confirm_resize),
    'revertResize': _Action(_simple(resize_api.revert),
                            'os_compute_api:servers:revert_resize',
                            schemas.revert_resize),
    'migrate': _Action(_migrate, 'os_compute_api:os-migrate-server:migrate',
                       _migrate_schema),
    'rebuild': _Action(_rebuild, 'os_compute_api:servers:rebuild',
                       _rebuild_schema),
    'createImage': _Action(_create_image,
                           'os_compute_api:servers:create_image',
                           schemas.create_image),
    'createBackup': _Action(_create_backup, 'os_compute_api:os-create-backup',
                            schemas.create_backup),
    'evacuate': _Action(_evacuate, 'os_compute_api:os-evacuate',
                        _evacuate_schema),
    'os-migrateLive': _Action(_migrate_live,
                              'os_compute_api:os-migrate-server:migrate_live',
                              _migrate_live_schema),
    'os-getVNCConsole': _Action(
        _legacy_console('vnc'), 'os_compute_api:os-remote-consoles',
        schemas.legacy_console('os-getVNCConsole', ['novnc', 'xvpvnc']),
        (None, '2.5')),
    'os-getSerialConsole': _Action(
        _legacy_console('serial'), 'os_compute_api:os-remote-consoles',
        schemas.legacy_console('os-getSerialConsole', ['serial']),
        (None, '2.5')),
    'os-getSPICEConsole': _Action(
        _legacy_console('spice'), 'os_compute_api:os-remote-consoles',
        schemas.legacy_console('os-getSPICEConsole', ['spice-html5']),
        (None, '2.5')),
    'os-getRDPConsole': _Action(
        _legacy_console('rdp'), 'os_compute_api:os-remote-consoles',
        schemas.legacy_console('os-getRDPConsole', ['rdp-html5']),
        (None, '2.5')),
    'shelve': _Action(_simple(shelve_api.shelve),
                      'os_compute_api:os-shelve:shelve', schemas.shelve),
    'shelveOffload': _Action(_simple(shelve_api.shelve_offload),
                             'os_compute_api:os-shelve:shelve_offload',
                             schemas.shelve_offload),
    'unshelve': _Action(_unshelve, 'os_compute_api:os-shelve:unshelve',
                        _unshelve_schema),
    'restore': _Action(_simple(deferred.restore),
                       'os_compute_api:os-deferred-delete:restore',
                       schemas.restore),
    'forceDelete': _Action(_simple(deferred.force_delete),
                           'os_compute_api:os-deferred-delete:force_delete',
                           schemas.force_delete),
}
