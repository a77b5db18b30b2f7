"""nova-conductor: build orchestration and the database proxy."""

from __future__ import annotations

import sys

from nova import service
from nova.cmd import common


def main(argv: list[str] | None = None) -> int:
    common.init(argv)
    return common.run_workers(
        lambda: [service.Service.create('nova-conductor')],
        common.CONF.conductor.workers)


if __name__ == '__main__':
    sys.exit(main())
