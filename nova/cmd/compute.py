"""nova-compute: runs guests on this node through the virt driver."""

from __future__ import annotations

import sys

from nova import service
from nova.cmd import common
from nova.db import engine


def main(argv: list[str] | None = None) -> int:
    # Compute nodes reach the database only through nova-conductor.
    engine.disallow('nova-compute')
    common.init(argv, configure_db=False)
    return common.run_workers(
        lambda: [service.Service.create('nova-compute')], None)


if __name__ == '__main__':
    sys.exit(main())
