"""nova-compute's RPC endpoints, one service per node.

Instance operations join with the boot-path and virt-driver work; this
process never opens the database (see ``nova.db.engine.disallow``).
"""

from __future__ import annotations

import oslo_messaging as messaging

from nova import manager


class ComputeManager(manager.Manager):
    target = messaging.Target(version='1.0')

    def __init__(self, host: str | None = None) -> None:
        super().__init__(host=host, service_name='compute')
