"""nova-api: serves the Compute REST API."""

from __future__ import annotations

import sys

from nova.api import server
from nova.cmd import common


def main(argv: list[str] | None = None) -> int:
    common.init(argv)
    return common.run_services([server.WSGIService()])


if __name__ == '__main__':
    sys.exit(main())
