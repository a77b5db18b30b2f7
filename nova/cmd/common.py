"""What every daemon does at start-up, kept out of the thin mains."""

from __future__ import annotations

import sys
from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

from nova import cmd
from nova import config
from nova import launcher
from nova import rpc

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def init(argv: list[str] | None = None, configure_db: bool = True,
         default_config_files: list[str] | None = None) -> None:
    """Parse config, set up logging and messaging for a daemon."""
    launcher.register_opts(CONF)
    config.parse_args(argv if argv is not None else sys.argv,
                      default_config_files=default_config_files,
                      configure_db=configure_db)
    rpc.init(CONF, executor=cmd.MODE)
    LOG.info('Concurrency mode: %s', cmd.MODE)


def run_workers(factory: Any, workers: int | None) -> int:
    """Run the services ``factory()`` builds, in ``workers`` processes
    (one when unset or 1)."""
    from nova import workers as workers_mod
    return workers_mod.serve(factory, workers)
