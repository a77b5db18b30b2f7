"""nova-status: upgrade readiness checks (lands with the CLI work)."""

from __future__ import annotations

import sys

from nova.cmd import unavailable


def main(argv: list[str] | None = None) -> int:
    return unavailable.exit_unavailable('nova-status', 'upgrade check')


if __name__ == '__main__':
    sys.exit(main())
