"""Who is calling: the keystone context filter, the noauth2 development
filter, and the factory that picks the pipeline by ``[api]
auth_strategy``."""

from __future__ import annotations

from typing import Any

import webob
import webob.dec
from oslo_config import cfg
from oslo_log import log as logging

from nova import context as nova_context
from nova import exception
from nova.api import wsgi
from nova.i18n import _

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def pipeline_factory_v21(loader: Any, global_conf: dict,
                         **local_conf: str) -> Any:
    """Build the pipeline named by ``[api] auth_strategy``."""
    strategy = CONF.api.auth_strategy
    if strategy not in local_conf:
        raise ValueError(f'api-paste.ini has no pipeline for '
                         f'auth_strategy={strategy!r}')
    names = local_conf[strategy].split()
    filters = [loader.get_filter(name) for name in names[:-1]]
    app = loader.get_app(names[-1])
    for filt in reversed(filters):
        app = filt(app)
    return app


class _ContextFilter:
    def __init__(self, application: Any) -> None:
        self.application = application

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        return cls

    @staticmethod
    def _ids(req: webob.Request) -> dict[str, Any]:
        remote = req.remote_addr
        if req.headers.get('X-Forwarded-For'):
            remote = req.headers['X-Forwarded-For'].split(',')[0].strip()
        return {
            'request_id': req.environ.get('openstack.request_id'),
            'global_request_id':
                req.environ.get('openstack.global_request_id'),
            'remote_address': remote,
        }


class KeystoneContext(_ContextFilter):
    """Build the RequestContext from keystonemiddleware's headers."""

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> Any:
        if req.headers.get('X-Identity-Status', 'Confirmed') != 'Confirmed':
            return wsgi.fault_response(exception.NotAuthenticated(), None)
        user_id = req.headers.get('X-User-Id') or req.headers.get('X-User')
        if not user_id:
            LOG.debug('Neither X-User-Id nor X-User in the request')
            return wsgi.fault_response(exception.NotAuthenticated(), None)
        ctx = nova_context.RequestContext.from_environ(
            req.environ, **self._ids(req))
        req.environ['nova.context'] = ctx
        return self.application


class NoAuth2(_ContextFilter):
    """Development only: trust ``X-Auth-Token: user:project[:roles]``.

    The user named "admin" is an administrator; other users are project
    members unless roles are given (comma separated), which lets tests
    act as readers or managers without Keystone.
    """

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req: wsgi.Request) -> Any:
        token = req.headers.get('X-Auth-Token', '')
        parts = token.split(':')
        if len(parts) not in (2, 3) or not all(parts[:2]):
            return wsgi.fault_response(exception.NotAuthenticated(
                message=_('noauth2 expects X-Auth-Token "user:project" '
                          'or "user:project:role,role".')), None)
        user_id, project_id = parts[0], parts[1]
        if len(parts) == 3 and parts[2]:
            roles = parts[2].split(',')
        elif user_id == 'admin':
            roles = ['admin', 'manager', 'member', 'reader']
        else:
            roles = ['member', 'reader']
        ctx = nova_context.RequestContext(
            user_id=user_id, project_id=project_id, roles=roles,
            auth_token=token, **self._ids(req))
        req.environ['nova.context'] = ctx
        return self.application
