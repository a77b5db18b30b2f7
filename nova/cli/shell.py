"""The ``nova`` command line for users (python-novaclient's commands).

Built on cliff, so every listing and ``show`` takes ``-f table|json|yaml|
value|csv`` and ``-c COLUMN``. It talks to the REST API only and never
imports server code (an import-linter contract checks this).

    nova --os-endpoint http://127.0.0.1:8774/v2.1 --os-token demo:demo list
"""

from __future__ import annotations

import os
import sys
from typing import Any

from cliff import app
from cliff import commandmanager

from nova.cli import auth
from nova.cli import http
from nova.cli.commands import COMMANDS

VERSION = '0.1.0'


class NovaShell(app.App):
    NAME = 'nova'

    def __init__(self, argv: list[str]) -> None:
        # The keystoneauth options depend on --os-auth-type in argv.
        self._argv = argv
        self._client: http.Client | None = None
        manager = commandmanager.CommandManager('nova.cli.commands')
        for name, factory in sorted(COMMANDS.items()):
            manager.add_command(name, factory)
        super().__init__(
            description='Command line for an OpenStack Compute API.',
            version=VERSION, command_manager=manager,
            deferred_help=True)

    def build_option_parser(self, description: str, version: str,
                            argparse_kwargs: dict[str, Any] | None = None
                            ) -> Any:
        kwargs = {'prog': self.NAME, **(argparse_kwargs or {})}
        parser = super().build_option_parser(description, version, kwargs)
        auth.register_options(parser, self._argv, dict(os.environ))
        return parser

    @property
    def client(self) -> http.Client:
        """Built on first use, so ``help`` needs no credentials."""
        if self._client is None:
            self._client = auth.make_client(self.options)
        return self._client


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        # cliff would start an interactive shell; novaclient prints help.
        argv = ['--help']
    return NovaShell(argv).run(argv)


if __name__ == '__main__':
    sys.exit(main())
