"""The ``nova`` command line for users (lands with the CLI work).

This package talks to the REST API only and never imports server code.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    sys.stderr.write('nova: the user command line is not implemented yet '
                     'in this release.\n')
    return 2


if __name__ == '__main__':
    sys.exit(main())
