"""Options of the ``[compute]`` group: behaviour of nova-compute."""

from oslo_config import cfg

GROUP = 'compute'

compute_opts = [
    cfg.IntOpt(
        'instance_build_timeout',
        default=600,
        min=0,
        help='Seconds after which an instance still in BUILD is put in '
             'ERROR with a fault, e.g. because its compute died. 0 '
             'disables the check, which leaves such instances stuck.'),
    cfg.IntOpt(
        'sync_power_state_interval',
        default=600,
        help='Seconds between two runs of the task that aligns the '
             'recorded power state with the hypervisor. A negative value '
             'disables it.'),
    cfg.IntOpt(
        'resource_provider_update_interval',
        default=60,
        min=1,
        help='Seconds between two reports of this node\'s inventory '
             '(vCPUs, memory, disk) to the database.'),
    cfg.FloatOpt(
        'cpu_allocation_ratio',
        default=4.0,
        min=0.0,
        help='Virtual CPUs per physical CPU that may be allocated on this '
             'node.'),
    cfg.FloatOpt(
        'ram_allocation_ratio',
        default=1.0,
        min=0.0,
        help='Virtual RAM per physical RAM that may be allocated on this '
             'node.'),
    cfg.FloatOpt(
        'disk_allocation_ratio',
        default=1.0,
        min=0.0,
        help='Virtual disk per physical disk that may be allocated on '
             'this node.'),
    cfg.IntOpt(
        'reserved_host_memory_mb',
        default=512,
        min=0,
        help='Memory, in MiB, kept for the host and never given to '
             'instances.'),
    cfg.IntOpt(
        'reserved_host_disk_mb',
        default=0,
        min=0,
        help='Disk, in MiB, kept for the host and never given to '
             'instances.'),
    cfg.IntOpt(
        'reserved_host_cpus',
        default=0,
        min=0,
        help='Physical CPUs kept for the host and never given to '
             'instances.'),
    cfg.IntOpt(
        'shutdown_timeout',
        default=60,
        min=0,
        help='Seconds a stop (or shelve) waits for the guest OS to shut '
             'down after asking it to, before pulling the plug. 0 pulls '
             'the plug at once. A stop request with clean shutdown off '
             'always pulls the plug.'),
    cfg.IntOpt(
        'shutdown_retry_interval',
        default=10,
        min=1,
        help='Seconds between two shutdown requests to the guest OS '
             'during a clean stop.'),
    cfg.IntOpt(
        'reclaim_instance_interval',
        default=0,
        min=0,
        help='Seconds a deleted server stays SOFT_DELETED (restorable '
             'with the restore action, or removed at once by '
             'forceDelete) before a periodic task reclaims it. 0 deletes '
             'at once and disables restore.'),
    cfg.BoolOpt(
        'allow_resize_to_same_host',
        default=False,
        help='Let the scheduler pick the server\'s own host as the '
             'destination of a resize (never of a cold migration). '
             'Useful on single-compute clouds.'),
    cfg.IntOpt(
        'shelved_offload_time',
        default=0,
        min=-1,
        help='Seconds a shelved server keeps its guest (and its host\'s '
             'resources) before it is offloaded. 0 offloads at once; -1 '
             'never offloads automatically.'),
    cfg.IntOpt(
        'resize_confirm_window',
        default=0,
        min=0,
        help='Seconds after which a resize or cold migration left in '
             'VERIFY_RESIZE is confirmed automatically. 0 never confirms '
             'automatically.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(compute_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: compute_opts}
