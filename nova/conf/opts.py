"""Entry point for oslo-config-generator (namespace ``nova.conf``)."""

import collections

from nova import conf as nova_conf


def list_opts() -> list:
    by_group: dict = collections.defaultdict(list)
    for module in nova_conf.ALL_MODULES:
        for group, opts in module.list_opts().items():
            by_group[group].extend(opts)
    # oslo.db owns and lists [database] under its own namespace; listing
    # it twice would duplicate the section in the sample.
    by_group.pop('database', None)
    return sorted(by_group.items(),
                  key=lambda item: (item[0] != 'DEFAULT', item[0]))
