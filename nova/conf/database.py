"""The ``[database]`` group: oslo.db's options with this project's
defaults.

oslo.db registers the options itself; this module only sets the
defaults a deployed node should start from and lists them for the sample.
"""

from oslo_config import cfg
from oslo_db import options as oslo_db_options

GROUP = 'database'


def register_opts(conf: cfg.ConfigOpts) -> None:
    oslo_db_options.set_defaults(conf, connection=None)


def list_opts() -> dict:
    return {GROUP: oslo_db_options.database_opts}
