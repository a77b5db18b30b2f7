"""API-side view of compute nodes (os-hypervisors, os-hosts).

Usage figures (``vcpus_used``, ``memory_mb_used``...) are what the
resource tracker of each nova-compute last wrote to its node row; this
module only reads them. ``state``/``status`` come from the node's
nova-compute service record.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from nova import context as nova_context
from nova import exception
from nova import servicegroup
from nova.compute import rpcapi as compute_rpcapi
from nova.db.api import compute_nodes as nodes_db
from nova.db.api import instances as instances_db
from nova.db.api import services as services_db
from nova.i18n import _

# Fields summed by statistics, in the order the API lists them.
STAT_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
               'memory_mb_used', 'local_gb_used', 'free_ram_mb',
               'free_disk_gb', 'current_workload', 'running_vms',
               'disk_available_least')
_UPTIME_TIMEOUT = 30


def list_nodes(context: nova_context.RequestContext,
               pattern: str | None = None, limit: int | None = None,
               marker: str | None = None) -> list[dict[str, Any]]:
    """Nodes by id, with their service folded in as ``service``.

    ``pattern`` matches a substring of ``hypervisor_hostname``;
    ``marker`` is the id (or, for 2.53 callers, uuid) of the last node of
    the previous page; an unknown marker is a bad request.
    """
    nodes = _decorate(context, nodes_db.compute_node_get_all(context))
    if pattern is not None:
        nodes = [n for n in nodes if pattern in n['hypervisor_hostname']]
    if marker is not None:
        keys = [str(n['uuid'] if uuidutils.is_uuid_like(marker)
                    else n['id']) for n in nodes]
        if marker not in keys:
            raise exception.Invalid(
                reason=_('marker [%s] not found') % marker)
        nodes = nodes[keys.index(marker) + 1:]
    return nodes if limit is None else nodes[:limit]


def node_exists(context: nova_context.RequestContext, host: str | None,
                node: str | None) -> bool:
    """A compute node on ``host`` named ``node`` (either may be None)."""
    nodes = nodes_db.compute_node_get_all(context.elevated(), host=host)
    return any(node is None or n['hypervisor_hostname'] == node
               for n in nodes)


def get_node(context: nova_context.RequestContext,
             node_id: str) -> dict[str, Any]:
    """By uuid or integer id."""
    try:
        if uuidutils.is_uuid_like(node_id):
            node = nodes_db.compute_node_get_by_uuid(context, node_id)
        elif str(node_id).isdigit():
            node = nodes_db.compute_node_get(context, int(node_id))
        else:
            raise exception.ComputeNodeNotFound(node=node_id)
    except exception.ComputeNodeNotFound:
        raise exception.ComputeNodeNotFound(node=node_id) from None
    return _decorate(context, [node])[0]


def servers_on(context: nova_context.RequestContext,
               node: dict[str, Any]) -> list[dict[str, Any]]:
    """Live instances on ``node``, as {name, uuid}."""
    instances = instances_db.instance_get_all_by_host(
        context.elevated(), node['host'], node['hypervisor_hostname'])
    return [{'name': i['display_name'], 'uuid': i['uuid']}
            for i in instances]


def statistics(context: nova_context.RequestContext) -> dict[str, int]:
    """Totals over all nodes, plus ``count``."""
    nodes = nodes_db.compute_node_get_all(context)
    totals = {'count': len(nodes)}
    for field in STAT_FIELDS:
        totals[field] = sum(node.get(field) or 0 for node in nodes)
    return totals


def cpu_info(node: dict[str, Any]) -> dict[str, Any]:
    """The node's ``cpu_info`` JSON decoded ({} if absent or broken)."""
    try:
        value = jsonutils.loads(node.get('cpu_info') or '{}')
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def uptime(context: nova_context.RequestContext,
           node: dict[str, Any]) -> str:
    """Ask the node's nova-compute for its host's ``uptime`` line."""
    host = node['host']
    if not node['service'] or not node['service']['is_up']:
        raise exception.ComputeServiceUnavailable(host=host)
    try:
        return compute_rpcapi.ComputeAPI().get_host_uptime(
            context, host, timeout=_UPTIME_TIMEOUT)
    except (messaging.NoSuchMethod, messaging.UnsupportedVersion,
            exception.NotSupported):
        raise exception.HostOperationNotImplemented(
            operation='Host uptime', host=host) from None
    except messaging.RemoteError as exc:
        # The driver's "not supported" arrives here when the exception
        # type is not one RPC may rebuild on this side.
        if exc.exc_type in ('NotSupported', 'DriverOperationNotSupported',
                            'NoSuchMethod', 'NotImplementedError'):
            raise exception.HostOperationNotImplemented(
                operation='Host uptime', host=host) from None
        raise
    except messaging.MessagingTimeout:
        raise exception.ComputeServiceUnavailable(host=host) from None


def _decorate(context: nova_context.RequestContext,
              nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    services = {s['id']: s for s in services_db.service_get_all(
        context.elevated(), binary='nova-compute')}
    result = []
    for node in nodes:
        node = dict(node)
        service = services.get(node.get('service_id'))
        if service is not None:
            service = dict(service, is_up=servicegroup.is_up(service))
        node['service'] = service
        result.append(node)
    return result


def host_resources(context: nova_context.RequestContext,
                   host: str) -> list[dict[str, Any]]:
    """os-hosts show: totals, usage and per-project use of a host.

    Rows: '(total)' and '(used_now)' from the node rows the resource
    tracker writes, '(used_max)' summed over the host's instances, then
    one row per project with instances there.
    """
    services_db.service_get_by_compute_host(context, host)
    nodes = nodes_db.compute_node_get_all(context, host=host)
    if not nodes:
        raise exception.ComputeHostNotFound(host=host)

    def row(project: str, cpu: int, memory: int, disk: int
            ) -> dict[str, Any]:
        return {'resource': {'host': host, 'project': project, 'cpu': cpu,
                             'memory_mb': memory, 'disk_gb': disk}}

    def total(*fields: str) -> list[int]:
        return [sum(n.get(f) or 0 for n in nodes) for f in fields]

    rows = [row('(total)', *total('vcpus', 'memory_mb', 'local_gb')),
            row('(used_now)', *total('vcpus_used', 'memory_mb_used',
                                     'local_gb_used'))]
    projects: dict[str, list[int]] = {}
    for instance in instances_db.instance_get_all_by_host(
            context.elevated(), host):
        used = projects.setdefault(instance['project_id'], [0, 0, 0])
        used[0] += instance['vcpus'] or 0
        used[1] += instance['memory_mb'] or 0
        used[2] += ((instance['root_gb'] or 0) +
                    (instance['ephemeral_gb'] or 0))
    rows.append(row('(used_max)', *(sum(p[i] for p in projects.values())
                                    for i in range(3))))
    rows += [row(project, *used) for project, used in
             sorted(projects.items())]
    return rows
