"""nova-api: serves the Compute REST API."""

from __future__ import annotations

import sys

from nova.api import server
from nova.cmd import common


def main(argv: list[str] | None = None) -> int:
    common.init(argv)
    workers = common.CONF.osapi_compute_workers
    return common.run_workers(
        lambda: [server.WSGIService(reuse_port=bool(workers and
                                                    workers > 1))],
        workers)


if __name__ == '__main__':
    sys.exit(main())
