"""os-hosts (deprecated; gone from 2.43): hosts, their resources and
their enabled status.

Maintenance mode and host power actions need virt driver support that
neither the fake nor the libvirt driver offers here, so they answer 501,
as upstream does for drivers without them.
"""

from __future__ import annotations

from typing import Any

from nova import exception
from nova import policy
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import hosts as schemas
from nova.compute import hypervisors as compute_hypervisors
from nova.compute import services as compute_services

POLICY = 'os_compute_api:os-hosts:%s'
# The version before mv.OS_HOSTS_REMOVED.
LAST_VERSION = '2.42'


class HostController:

    @wsgi.versions(max_version=LAST_VERSION)
    @validation.query_schema(schemas.index_query)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'list', target={})
        hosts = [{'host_name': s['host'],
                  'service': s['topic'] or s['binary'].replace('nova-', ''),
                  'zone': s['zone']}
                 for s in compute_services.list_services(context)]
        for key in ('zone', 'service'):
            if req.GET.get(key):
                hosts = [h for h in hosts if h[key] == req.GET[key]]
        return {'hosts': hosts}

    @wsgi.versions(max_version=LAST_VERSION)
    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'show', target={})
        return {'host': compute_hypervisors.host_resources(context, id)}

    @wsgi.versions(max_version=LAST_VERSION)
    @validation.schema(schemas.update)
    def update(self, req: wsgi.Request, id: str,
               body: Any) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'update', target={})
        service = compute_services.find_service(context, id,
                                                'nova-compute')
        # Refuse before changing anything, so a request is all or nothing.
        if 'maintenance_mode' in body:
            raise exception.HostOperationNotImplemented(
                operation='Maintenance mode', host=id)
        enabled = body['status'].lower() == 'enable'
        compute_services.update_service(
            context, service, {'disabled': not enabled,
                               'disabled_reason': None})
        return {'host': id,
                'status': 'enabled' if enabled else 'disabled'}

    @wsgi.versions(max_version=LAST_VERSION)
    def reboot(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        return self._power_action(req, id, 'reboot', 'Host reboot')

    @wsgi.versions(max_version=LAST_VERSION)
    def shutdown(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        return self._power_action(req, id, 'shutdown', 'Host shutdown')

    @wsgi.versions(max_version=LAST_VERSION)
    def startup(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        return self._power_action(req, id, 'start', 'Host startup')

    @staticmethod
    def _power_action(req: wsgi.Request, host: str, rule: str,
                      operation: str) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % rule, target={})
        compute_services.find_service(context, host, 'nova-compute')
        raise exception.HostOperationNotImplemented(operation=operation,
                                                    host=host)
