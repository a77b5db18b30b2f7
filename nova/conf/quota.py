"""Options of the ``[quota]`` group: per-project default limits."""

from oslo_config import cfg

GROUP = 'quota'

quota_opts = [
    cfg.IntOpt('instances', default=10, min=-1,
               help='Servers per project. -1 means unlimited.'),
    cfg.IntOpt('cores', default=20, min=-1,
               help='Virtual CPUs per project. -1 means unlimited.'),
    cfg.IntOpt('ram', default=50 * 1024, min=-1,
               help='Memory, in MiB, per project. -1 means unlimited.'),
    cfg.IntOpt('metadata_items', default=128, min=-1,
               help='Metadata items per server. -1 means unlimited.'),
    cfg.IntOpt('key_pairs', default=100, min=-1,
               help='Key pairs per user. -1 means unlimited.'),
    cfg.IntOpt('server_groups', default=10, min=-1,
               help='Server groups per project. -1 means unlimited.'),
    cfg.IntOpt('server_group_members', default=10, min=-1,
               help='Servers per server group. -1 means unlimited.'),
    cfg.IntOpt('injected_files', default=5, min=-1,
               help='Files injected per server. -1 means unlimited.'),
    cfg.IntOpt('injected_file_content_bytes', default=10 * 1024, min=-1,
               help='Bytes per injected file. -1 means unlimited.'),
    cfg.IntOpt('injected_file_path_length', default=255, min=-1,
               help='Characters in an injected file path.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(quota_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: quota_opts}
