"""Shared exit path for executables whose feature has not landed yet.

Each such entry point says so plainly and exits 2, rather than starting
something that only looks like the real service.
"""

from __future__ import annotations

import sys


def exit_unavailable(name: str, what: str) -> int:
    sys.stderr.write(f'{name}: {what} is not implemented yet in this '
                     f'release; see README.rst for what runs today.\n')
    return 2
