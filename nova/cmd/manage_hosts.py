"""``nova-manage cell_v2 discover_hosts`` and ``list_hosts``: host discovery.

Upstream Nova maps each new compute host into a cell before the
scheduler may use it. This project has one database and no cells, and a
nova-compute registers its service and its compute nodes itself, so a
new host is schedulable as soon as it reports. What an operator still
needs after adding hosts is to know that they arrived and that nothing
is half-registered, so ``discover_hosts``:

- lists the compute nodes not seen by an earlier discovery (the
  ``compute_nodes.mapped`` flag) and marks them as seen ("mapped");
- warns about nova-compute services that have reported no compute node
  (the host is not schedulable: its driver has not reported resources;
  see its log) and about nodes whose service record is gone;
- exits 0, or with ``--strict`` 1 when no new node was found (upstream's
  meaning, for scripts that wait for a host to appear).
"""

from __future__ import annotations

from typing import Any

import prettytable

from nova import context as nova_context
from nova.cmd.manage import _require_database
from nova.cmd.manage import args


def _inventory(ctxt: Any) -> tuple[list[dict[str, Any]],
                                   list[dict[str, Any]]]:
    from nova.db.api import compute_nodes
    from nova.db.api import services
    return (services.service_get_all(ctxt, binary='nova-compute'),
            compute_nodes.compute_node_get_all(ctxt))


def discover(ctxt: Any) -> dict[str, list[Any]]:
    """Mark new nodes as seen; returns what an operator should know."""
    from nova.db.api import compute_nodes
    computes, nodes = _inventory(ctxt)
    service_ids = {s['id'] for s in computes}
    hosts_with_nodes = {n['host'] for n in nodes}
    new = [n for n in nodes if not n['mapped']]
    for node in new:
        compute_nodes.compute_node_update(ctxt, node['id'], {'mapped': True})
    return {
        'new': new,
        'without_nodes': [s for s in computes
                          if s['host'] not in hosts_with_nodes],
        'orphans': [n for n in nodes if n['service_id'] not in service_ids],
        'known': [n for n in nodes if n['mapped']],
    }


class CellV2Commands:
    """Host discovery (one cell: hosts register themselves)."""

    @args('--strict', action='store_true',
          help='Exit 1 unless a new compute node was found')
    @args('--verbose', action='store_true',
          help='Also list the nodes found by earlier discoveries')
    @args('--by-service', action='store_true',
          help='Accepted for compatibility: discovery here always looks '
               'at both services and compute nodes')
    def discover_hosts(self, strict: bool = False, verbose: bool = False,
                       by_service: bool = False) -> int:
        """Report new compute nodes (and mark them seen) and compute
        services that are only half registered."""
        _require_database()
        found = discover(nova_context.get_admin_context())
        for node in found['new']:
            print(f"Found new compute node {node['hypervisor_hostname']} "
                  f"on host {node['host']} ({node['uuid']}); mapped.")
        if not found['new']:
            print('No new compute nodes found.')
        if verbose:
            for node in found['known']:
                if node not in found['new']:
                    print(f"Known compute node {node['hypervisor_hostname']}"
                          f" on host {node['host']}.")
        for service in found['without_nodes']:
            print(f"Warning: nova-compute on host {service['host']} has "
                  f"reported no compute node yet: the host is not "
                  f"schedulable (check its log and its virt driver).")
        for node in found['orphans']:
            print(f"Warning: compute node {node['hypervisor_hostname']} on "
                  f"host {node['host']} has no nova-compute service "
                  f"record; delete it or restart that service.")
        return 1 if strict and not found['new'] else 0

    def list_hosts(self) -> int:
        """List compute hosts and nodes, and whether discovery saw them."""
        _require_database()
        computes, nodes = _inventory(nova_context.get_admin_context())
        table = prettytable.PrettyTable(
            ('Host', 'Node', 'Node Uuid', 'Service Status', 'Mapped'))
        table.align = 'l'
        status = {s['id']: 'disabled' if s['disabled'] else 'enabled'
                  for s in computes}
        for node in nodes:
            table.add_row([node['host'], node['hypervisor_hostname'],
                           node['uuid'],
                           status.get(node['service_id'], 'no service'),
                           node['mapped']])
        print(table)
        return 0
