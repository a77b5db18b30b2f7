"""GET /limits: the caller's project limits and what it uses.

There are no rate limits (``rate`` is always empty). The absolute keys
follow the version: network limits go at 2.36, maxImageMeta at 2.39,
the personality limits at 2.57.
"""

from __future__ import annotations

from typing import Any

from nova import policy
from nova import quota
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import limits as schemas

POLICY = 'os_compute_api:limits'

# absolute key -> quota resource (limits)
_MAX = {
    'maxTotalInstances': 'instances',
    'maxTotalCores': 'cores',
    'maxTotalRAMSize': 'ram',
    'maxServerMeta': 'metadata_items',
    'maxTotalKeypairs': 'key_pairs',
    'maxServerGroups': 'server_groups',
    'maxServerGroupMembers': 'server_group_members',
}
_USED = {
    'totalInstancesUsed': 'instances',
    'totalCoresUsed': 'cores',
    'totalRAMUsed': 'ram',
    'totalServerGroupsUsed': 'server_groups',
}
_PERSONALITY = {
    'maxPersonality': 'injected_files',
    'maxPersonalitySize': 'injected_file_content_bytes',
}
# Network limits of the nova-network era: unlimited and unused here.
_NETWORK = {
    'maxSecurityGroups': -1, 'maxSecurityGroupRules': -1,
    'maxTotalFloatingIps': -1, 'totalFloatingIpsUsed': 0,
    'totalSecurityGroupsUsed': 0,
}


class LimitsController:

    @validation.query_schema(schemas.index_query)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        policy.authorize(context, POLICY, target={})
        project_id = context.project_id
        tenant_id = req.GET.get('tenant_id')
        if tenant_id is not None:
            policy.authorize(context, POLICY + ':other_project',
                             target={'project_id': tenant_id})
            project_id = tenant_id
        limits = quota.get_limits(context, project_id)
        usages = quota.get_usages(context, project_id)
        absolute = {key: limits[name] for key, name in _MAX.items()}
        absolute.update({key: usages[name]['in_use']
                         for key, name in _USED.items()})
        if not req.is_at_least(mv.REBUILD_USER_DATA):
            absolute.update({key: limits[name]
                             for key, name in _PERSONALITY.items()})
        if not req.is_at_least(mv.IMAGE_META_LIMIT_REMOVED):
            absolute['maxImageMeta'] = limits['metadata_items']
        if not req.is_at_least(mv.PROXY_APIS_REMOVED):
            absolute.update(_NETWORK)
        return {'limits': {'rate': [], 'absolute': absolute}}
