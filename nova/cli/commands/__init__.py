"""Every ``nova`` command, by name (novaclient's names)."""

from __future__ import annotations

from nova.cli.commands import aggregates
from nova.cli.commands import flavors
from nova.cli.commands import hosts
from nova.cli.commands import images
from nova.cli.commands import keypairs
from nova.cli.commands import quotas
from nova.cli.commands import server_actions
from nova.cli.commands import servers

COMMANDS: dict[str, type] = {}
for _module in (servers, server_actions, flavors, keypairs, hosts,
                aggregates, quotas, images):
    COMMANDS.update(_module.COMMANDS)
