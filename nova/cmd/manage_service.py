"""``nova-manage service``: list, enable, disable and delete services.

The same operations as the os-services API (through the same
``nova.compute.services`` functions, so the same rules hold: a compute
service that still hosts servers cannot be deleted), for an operator on
a control node without credentials for the API.
"""

from __future__ import annotations

from typing import Any

import prettytable

from nova import context as nova_context
from nova.cmd.manage import _require_database
from nova.cmd.manage import args

COLUMNS = ('Id', 'Uuid', 'Binary', 'Host', 'Zone', 'Status', 'State',
           'Updated At', 'Forced Down', 'Disabled Reason')


def _row(service: dict[str, Any]) -> list[Any]:
    return [service['id'], service['uuid'], service['binary'],
            service['host'], service['zone'],
            'disabled' if service['disabled'] else 'enabled',
            'up' if service['is_up'] else 'down',
            service.get('last_seen_up') or service.get('updated_at') or '',
            service['forced_down'], service.get('disabled_reason') or '']


def print_services(services: list[dict[str, Any]]) -> None:
    table = prettytable.PrettyTable(COLUMNS)
    table.align = 'l'
    for service in services:
        table.add_row(_row(service))
    print(table)


class ServiceCommands:
    """List and change the services (nova-* daemons) of the cloud."""

    @args('--host', help='Only services on this host')
    @args('--binary', help='Only this binary, e.g. nova-compute')
    def list(self, host: str | None = None,
             binary: str | None = None) -> int:
        """List services with their status and liveness."""
        from nova.compute import services
        _require_database()
        ctxt = nova_context.get_admin_context()
        print_services(services.list_services(ctxt, host=host,
                                              binary=binary))
        return 0

    @args('host', help='Host of the service')
    @args('binary', help='Binary of the service, e.g. nova-compute')
    def enable(self, host: str, binary: str) -> int:
        """Enable a service: the scheduler may pick its host again."""
        return self._update(host, binary, {'disabled': False,
                                           'disabled_reason': None})

    @args('host', help='Host of the service')
    @args('binary', help='Binary of the service, e.g. nova-compute')
    @args('--reason', help='Why, shown by the os-services API')
    def disable(self, host: str, binary: str,
                reason: str | None = None) -> int:
        """Disable a service: the scheduler stops picking its host."""
        return self._update(host, binary, {'disabled': True,
                                           'disabled_reason': reason})

    @args('service', help='Service id or uuid (see "service list")')
    def delete(self, service: str) -> int:
        """Delete a service record and its compute nodes (a compute host
        must host no servers)."""
        from nova.compute import services
        _require_database()
        ctxt = nova_context.get_admin_context()
        record = services.get_service(ctxt, service)
        services.delete_service(ctxt, service)
        print(f"Deleted service {record['binary']} on {record['host']} "
              f"({record['uuid']}).")
        return 0

    def _update(self, host: str, binary: str,
                values: dict[str, Any]) -> int:
        from nova.compute import services
        _require_database()
        ctxt = nova_context.get_admin_context()
        service = services.find_service(ctxt, host, binary)
        print_services([services.update_service(ctxt, service, values)])
        return 0
