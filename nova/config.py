"""Parse the command line and configuration files of a service."""

from __future__ import annotations

from oslo_config import cfg
from oslo_log import log as logging

from nova.conf import defaults

CONF = cfg.CONF
_prepared = False


def parse_args(argv: list[str], default_config_files: list[str] | None
               = None, configure_db: bool = True) -> None:
    """Register library options, parse ``argv`` and set up logging.

    ``argv[0]`` is the program name, as in ``sys.argv``.
    """
    global _prepared
    if not _prepared:
        defaults.prepare(CONF)
        _prepared = True
    CONF(argv[1:], project='nova', version=_version(),
         default_config_files=default_config_files)
    logging.setup(CONF, 'nova')
    if configure_db and CONF.database.connection:
        from nova.db import engine
        engine.configure(CONF)


def _version() -> str:
    from importlib import metadata
    try:
        return metadata.version('nova')
    except metadata.PackageNotFoundError:
        return 'unknown'
