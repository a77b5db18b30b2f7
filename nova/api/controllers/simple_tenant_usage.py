"""os-simple-tenant-usage: server hours and resource usage per project."""

from __future__ import annotations

from typing import Any

from nova import policy
from nova.api import formats
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import simple_tenant_usage as schemas
from nova.compute import usage as compute_usage

POLICY = 'os_compute_api:os-simple-tenant-usage:%s'
COLLECTION = 'os-simple-tenant-usage'


class SimpleTenantUsageController:

    @validation.query_schema(schemas.index_query, None, '2.39')
    @validation.query_schema(schemas.index_query_v240, mv.USAGE_PAGING)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'list', target={})
        detailed = req.GET.get('detailed', '0') == '1'
        usages, page, limit = self._usages(req)
        views = [self._view(u, detailed) for u in usages]
        result: dict[str, Any] = {'tenant_usages': views}
        self._links(req, result, 'tenant_usages_links', COLLECTION, page,
                    limit)
        return result

    @validation.query_schema(schemas.index_query, None, '2.39')
    @validation.query_schema(schemas.index_query_v240, mv.USAGE_PAGING)
    def show(self, req: wsgi.Request, tenant_id: str) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY % 'show',
                         target={'project_id': tenant_id})
        usages, page, limit = self._usages(req, tenant_id)
        result: dict[str, Any] = {
            'tenant_usage': self._view(usages[0], True) if usages else {}}
        self._links(req, result, 'tenant_usage_links',
                    f'{COLLECTION}/{tenant_id}', page, limit)
        return result

    @staticmethod
    def _usages(req: wsgi.Request, tenant_id: str | None = None
                ) -> tuple[list[dict[str, Any]], list[str], int]:
        start = compute_usage.parse_time(req.GET.get('start'))
        end = compute_usage.parse_time(req.GET.get('end'))
        compute_usage.check_period(start, end)
        # Before 2.40 the configured maximum page size caps silently.
        limit = links.limit_from(req)
        marker = (req.GET.get('marker')
                  if req.is_at_least(mv.USAGE_PAGING) else None)
        usages, page = compute_usage.tenant_usages(
            req.context, start, end, project_id=tenant_id, limit=limit,
            marker=marker)
        return usages, page, limit

    @staticmethod
    def _links(req: wsgi.Request, result: dict[str, Any], key: str,
               collection: str, page: list[str], limit: int) -> None:
        if not req.is_at_least(mv.USAGE_PAGING):
            return
        next_link = links.next_link(req, collection,
                                    [{'uuid': u} for u in page], limit,
                                    marker_key='uuid')
        if next_link:
            result[key] = next_link

    @staticmethod
    def _view(usage: dict[str, Any], detailed: bool) -> dict[str, Any]:
        view = {key: usage[key] for key in (
            'tenant_id', 'total_hours', 'total_local_gb_usage',
            'total_memory_mb_usage', 'total_vcpus_usage')}
        view['start'] = formats.isotime_us(usage['start'])
        view['stop'] = formats.isotime_us(usage['stop'])
        if detailed:
            view['server_usages'] = [
                dict(s, started_at=formats.isotime_us(s['started_at']),
                     ended_at=formats.isotime_us(s['ended_at']))
                for s in usage['server_usages']]
        return view
