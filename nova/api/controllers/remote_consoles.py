"""servers/{server_id}/remote-consoles (2.6+) and os-console-auth-tokens.

A console URL carries a token the console proxy checks with
GET /os-console-auth-tokens/{token} (admin) before connecting the user
to the guest; before 2.31 that check served RDP tokens only, which this
cloud never issues.
"""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import server_actions as schemas
from nova.compute import api as compute_api
from nova.compute.actions import consoles
from nova.i18n import _

POLICY = 'os_compute_api:os-remote-consoles'
TOKENS_POLICY = 'os_compute_api:os-console-auth-tokens'


class RemoteConsolesController:

    @wsgi.versions(mv.REMOTE_CONSOLES)
    @validation.schema(schemas.remote_console)
    def create(self, req: wsgi.Request, server_id: str,
               body: dict[str, Any]) -> dict[str, Any]:
        instance = compute_api.API().get(req.context, server_id)
        policy.authorize(req.context, POLICY,
                         {'project_id': instance['project_id']})
        wanted = body['remote_console']
        return {'remote_console': consoles.get_console(
            req.context, instance, wanted['protocol'], wanted['type'])}


class ConsoleAuthTokensController:

    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        policy.authorize(req.context, TOKENS_POLICY, {})
        try:
            details = consoles.token_details(req.context, id)
        except exception.InvalidToken:
            raise exception.NotFound(message=_('Token not found')) from None
        if not req.is_at_least(mv.CONSOLE_TOKENS_ALL_TYPES) and \
                details['console_type'] != 'rdp-html5':
            raise exception.NotAuthenticated(message=_(
                'The requested console type details are not accessible'))
        return {'console': {key: details[key] for key in (
            'instance_uuid', 'host', 'port', 'internal_access_path')}}
