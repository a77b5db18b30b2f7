"""os-hypervisors: compute nodes, their usage and their servers."""

from __future__ import annotations

from typing import Any

from oslo_utils import uuidutils

from nova import exception
from nova import policy
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import hypervisors as schemas
from nova.api.schemas import parameter_types
from nova.compute import hypervisors as compute_hypervisors
from nova.i18n import _

POLICY = 'os_compute_api:os-hypervisors:%s'
# Detail fields copied from the node row as they are.
_DETAIL_FIELDS = ('current_workload', 'disk_available_least', 'host_ip',
                  'free_disk_gb', 'free_ram_mb', 'hypervisor_type',
                  'hypervisor_version', 'local_gb', 'local_gb_used',
                  'memory_mb', 'memory_mb_used', 'running_vms', 'vcpus',
                  'vcpus_used')

_DETAIL_FIELDS_V288 = ('host_ip', 'hypervisor_type', 'hypervisor_version')


class HypervisorController:

    @validation.query_schema(schemas.index_query_v233,
                             mv.HYPERVISOR_PAGING, '2.52')
    @validation.query_schema(schemas.index_query_v253, mv.SERVICE_UUIDS)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'list', target={})
        return self._list(req, detail=False)

    @validation.query_schema(schemas.index_query_v233,
                             mv.HYPERVISOR_PAGING, '2.52')
    @validation.query_schema(schemas.index_query_v253, mv.SERVICE_UUIDS)
    def detail(self, req: wsgi.Request) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'list-detail', target={})
        return self._list(req, detail=True)

    def _list(self, req: wsgi.Request, detail: bool) -> dict[str, Any]:
        context = req.context
        paging = req.is_at_least(mv.HYPERVISOR_PAGING)
        limit = links.limit_from(req) if paging else None
        marker = req.GET.get('marker') if paging else None
        pattern = None
        with_servers = False
        if req.is_at_least(mv.SERVICE_UUIDS):
            pattern = req.GET.get('hypervisor_hostname_pattern')
            with_servers = parameter_types.to_bool(
                req.GET.get('with_servers', 'false'))
            if pattern is not None and ('limit' in req.GET or
                                        marker is not None):
                raise exception.Invalid(reason=_(
                    'Paging over hypervisors with the '
                    'hypervisor_hostname_pattern query parameter is not '
                    'supported.'))
        nodes = compute_hypervisors.list_nodes(context, pattern=pattern,
                                               limit=limit, marker=marker)
        if pattern is not None and not nodes:
            raise exception.ComputeNodeNotFound(node=pattern)
        result: dict[str, Any] = {'hypervisors': [
            self._view(req, node, detail, with_servers) for node in nodes]}
        if limit is not None:
            collection = ('os-hypervisors/detail' if detail
                          else 'os-hypervisors')
            next_link = links.next_link(req, collection,
                                        result['hypervisors'], limit)
            if next_link:
                result['hypervisors_links'] = next_link
        return result

    @validation.query_schema(schemas.show_query_v253, mv.SERVICE_UUIDS)
    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'show', target={})
        node = self._get(req, id)
        with_servers = req.is_at_least(mv.SERVICE_UUIDS) and \
            parameter_types.to_bool(req.GET.get('with_servers', 'false'))
        return {'hypervisor': self._view(req, node, True, with_servers)}

    @wsgi.versions(max_version='2.87')
    def uptime(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'uptime', target={})
        node = self._get(req, id)
        view = self._view(req, node, detail=False)
        view['uptime'] = compute_hypervisors.uptime(context, node)
        return {'hypervisor': view}

    @wsgi.versions(max_version='2.52')
    def search(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'search', target={})
        return {'hypervisors': [self._view(req, node, detail=False)
                                for node in self._matching(req, id)]}

    @wsgi.versions(max_version='2.52')
    def servers(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        policy.authorize(req.context, POLICY % 'servers', target={})
        return {'hypervisors': [self._view(req, node, False, True)
                                for node in self._matching(req, id)]}

    @wsgi.versions(max_version='2.87')
    def statistics(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'statistics', target={})
        return {'hypervisor_statistics':
                compute_hypervisors.statistics(context)}

    @staticmethod
    def _matching(req: wsgi.Request, pattern: str) -> list[dict[str, Any]]:
        nodes = compute_hypervisors.list_nodes(req.context, pattern=pattern)
        if not nodes:
            raise exception.NotFound(message=_(
                'No hypervisor matching %s could be found.') % pattern)
        return nodes

    @staticmethod
    def _get(req: wsgi.Request, node_id: str) -> dict[str, Any]:
        if req.is_at_least(mv.SERVICE_UUIDS):
            if not uuidutils.is_uuid_like(node_id):
                raise exception.Invalid(
                    reason=_('Invalid uuid %s') % node_id)
        elif not node_id.isdigit():
            raise exception.ComputeNodeNotFound(node=node_id)
        return compute_hypervisors.get_node(req.context, node_id)

    def _view(self, req: wsgi.Request, node: dict[str, Any],
              detail: bool, with_servers: bool = False) -> dict[str, Any]:
        uuids = req.is_at_least(mv.SERVICE_UUIDS)
        service = node['service'] or {}
        view: dict[str, Any] = {
            'id': node['uuid'] if uuids else node['id'],
            'hypervisor_hostname': node['hypervisor_hostname'],
            'state': 'up' if service.get('is_up') else 'down',
            'status': 'disabled' if service.get('disabled') else 'enabled',
        }
        if detail and req.is_at_least(mv.HYPERVISOR_NO_STATISTICS):
            # 2.88: usage figures are placement's business; uptime joins.
            for field in _DETAIL_FIELDS_V288:
                view[field] = node.get(field)
            view['uptime'] = self._uptime_or_none(req, node)
        elif detail:
            for field in _DETAIL_FIELDS:
                view[field] = node.get(field)
            # A JSON string before 2.28, the decoded object from then on.
            view['cpu_info'] = (
                compute_hypervisors.cpu_info(node)
                if req.is_at_least(mv.HYPERVISOR_CPU_INFO_DICT)
                else node.get('cpu_info') or '')
        if detail:
            view['service'] = {
                'host': node['host'],
                'id': service.get('uuid') if uuids else service.get('id'),
                'disabled_reason': service.get('disabled_reason'),
            }
        if with_servers:
            servers = compute_hypervisors.servers_on(req.context, node)
            # From 2.75 the key is there even when the list is empty.
            if servers or req.is_at_least(mv.HYPERVISOR_SERVERS_ALWAYS):
                view['servers'] = servers
        return view

    @staticmethod
    def _uptime_or_none(req: wsgi.Request, node: dict[str, Any]
                        ) -> str | None:
        try:
            return compute_hypervisors.uptime(req.context, node)
        except (exception.ComputeServiceUnavailable,
                exception.HostOperationNotImplemented):
            return None
