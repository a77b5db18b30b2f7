"""Reports this host's nodes (inventory and usage) through conductor.

The scheduler claims against the inventories written here; usage columns
(vcpus_used...) are informative for os-hypervisors.
"""

from __future__ import annotations

import json
from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


class ResourceTracker:
    def __init__(self, host: str, driver: Any, conductor: Any) -> None:
        self.host = host
        self.driver = driver
        self.conductor = conductor

    def update_available_resource(self, context: Any) -> list[str]:
        """Report every node of the driver; returns the node names."""
        nodes = self.driver.get_available_nodes(refresh=True)
        instances = self.conductor.instance_get_all_by_host(context,
                                                           self.host)
        for node in nodes:
            resources = self._resources(node, [
                i for i in instances if i.get('node') == node])
            self.conductor.compute_node_report(context, self.host, node,
                                               resources)
        return nodes

    def _resources(self, node: str,
                   instances: list[dict[str, Any]]) -> dict[str, Any]:
        resources = dict(self.driver.get_available_resource(node))
        if not isinstance(resources.get('cpu_info'), str):
            resources['cpu_info'] = json.dumps(resources.get('cpu_info'))
        used_vcpus = sum(int(i['vcpus'] or 0) for i in instances)
        used_ram = sum(int(i['memory_mb'] or 0) for i in instances)
        used_disk = sum(int(i['root_gb'] or 0) + int(i['ephemeral_gb'] or 0)
                        for i in instances)
        compute = CONF.compute
        resources.update({
            'vcpus_used': used_vcpus,
            'memory_mb_used': used_ram + compute.reserved_host_memory_mb,
            'local_gb_used': used_disk,
            'free_ram_mb': (int(resources['memory_mb']) - used_ram -
                            compute.reserved_host_memory_mb),
            'free_disk_gb': int(resources['local_gb']) - used_disk,
            'running_vms': len(instances),
            'current_workload': sum(1 for i in instances
                                    if i.get('task_state')),
            'cpu_allocation_ratio': compute.cpu_allocation_ratio,
            'ram_allocation_ratio': compute.ram_allocation_ratio,
            'disk_allocation_ratio': compute.disk_allocation_ratio,
            'reserved_host_memory_mb': compute.reserved_host_memory_mb,
            'reserved_host_disk_mb': compute.reserved_host_disk_mb,
            'reserved_host_cpus': compute.reserved_host_cpus,
        })
        return resources
