"""GET /servers/{server_id}/topology (2.78): a server's NUMA topology.

No server here gets a NUMA topology (the scheduler and drivers place
guests without NUMA cells, CPU pinning or huge pages), so every server
answers the documented NUMA-less form: ``{"nodes": [], "pagesize_kb":
null}``. The policies are still checked, so the answer shape and the
403/404 paths are those of a cloud that does have topologies.
"""

from __future__ import annotations

from typing import Any

from nova import policy
from nova.api import microversion as mv
from nova.api import wsgi
from nova.compute import api as compute_api

POLICY = 'compute:server:topology:index'


class ServerTopologyController:
    def __init__(self) -> None:
        self.compute = compute_api.API()

    @wsgi.versions(min_version=mv.SERVER_TOPOLOGY)
    def index(self, req: wsgi.Request, server_id: str) -> dict[str, Any]:
        context = req.context
        instance = self.compute.get(context, server_id)
        policy.authorize(context, POLICY,
                         {'project_id': instance['project_id']})
        return {'nodes': [], 'pagesize_kb': None}
