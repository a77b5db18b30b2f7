"""Options of the ``[filter_scheduler]`` group: filters, weighers, claims."""

from oslo_config import cfg

GROUP = 'filter_scheduler'

DEFAULT_FILTERS = [
    'ComputeFilter',
    'AvailabilityZoneFilter',
    'RamFilter',
    'CoreFilter',
    'DiskFilter',
    'ComputeCapabilitiesFilter',
    'ImagePropertiesFilter',
    'ServerGroupAntiAffinityFilter',
    'ServerGroupAffinityFilter',
    'SameHostFilter',
    'DifferentHostFilter',
]

DEFAULT_WEIGHERS = [
    'RAMWeigher',
    'CPUWeigher',
    'DiskWeigher',
    'IoOpsWeigher',
    'BuildFailureWeigher',
    'ServerGroupSoftAffinityWeigher',
    'ServerGroupSoftAntiAffinityWeigher',
]


def _multiplier(name: str, default: float, what: str) -> cfg.FloatOpt:
    return cfg.FloatOpt(
        f'{name}_weight_multiplier', default=default,
        help=f'Multiplier of the {what} weight (weights are normalised '
             f'to [0, 1] across the candidate hosts first). Positive '
             f'values favour hosts with more of it, negative values '
             f'fewer; 0 disables the weigher.')


filter_scheduler_opts = [
    cfg.ListOpt(
        'enabled_filters', default=DEFAULT_FILTERS,
        help='Filters every host must pass, by entry-point name in the '
             '"nova.scheduler.filters" namespace, run in this order. An '
             'unknown name stops nova-scheduler at start-up.'),
    cfg.ListOpt(
        'weight_classes', default=DEFAULT_WEIGHERS,
        help='Weighers that rank the hosts that passed the filters, by '
             'entry-point name in the "nova.scheduler.weighers" '
             'namespace. An unknown name stops nova-scheduler at '
             'start-up.'),
    cfg.IntOpt(
        'host_subset_size', default=1, min=1,
        help='Pick the host at random among this many best-weighed ones. '
             'Raise it when several schedulers run, so they do not all '
             'race for the same host.'),
    cfg.ListOpt(
        'isolated_images', default=[],
        help='Image ids that may only boot on isolated_hosts '
             '(IsolatedHostsFilter).'),
    cfg.ListOpt(
        'isolated_hosts', default=[],
        help='Hosts that only run isolated_images (IsolatedHostsFilter).'),
    cfg.BoolOpt(
        'restrict_isolated_hosts_to_isolated_images', default=True,
        help='Whether isolated_hosts refuse images that are not in '
             'isolated_images (IsolatedHostsFilter).'),
    cfg.IntOpt(
        'max_instances_per_host', default=50, min=1,
        help='Most instances on one host (NumInstancesFilter).'),
    cfg.IntOpt(
        'max_io_ops_per_host', default=8, min=0,
        help='Most I/O-heavy operations (builds, resizes, migrations, '
             'snapshots...) in progress on one host (IoOpsFilter).'),
    _multiplier('ram', 1.0, 'free RAM'),
    _multiplier('cpu', 1.0, 'free VCPU'),
    _multiplier('disk', 1.0, 'free disk'),
    _multiplier('io_ops', -1.0, 'in-progress I/O operations'),
    cfg.FloatOpt(
        'build_failure_weight_multiplier', default=1000000.0,
        help='Multiplier of the recent build failures of a host '
             '(BuildFailureWeigher). The large default puts hosts that '
             'just failed builds behind every other; 0 disables it.'),
    cfg.FloatOpt(
        'soft_affinity_weight_multiplier', default=1.0, min=0.0,
        help='Multiplier of the number of members of a soft-affinity '
             'server group already on a host.'),
    cfg.FloatOpt(
        'soft_anti_affinity_weight_multiplier', default=1.0, min=0.0,
        help='Multiplier of the number of members of a '
             'soft-anti-affinity server group already on a host '
             '(counted against the host).'),
    cfg.BoolOpt(
        'log_weighed_hosts', default=False,
        help='Log (at INFO) every weighed host with its weight for each '
             'request. A debugging aid: verbose on large clouds.'),
    cfg.FloatOpt(
        'host_state_full_reload_interval', default=30.0, min=0.0,
        help='Seconds between full reloads of the cached host states '
             '(service up/disabled, aggregates, instance counts), done in '
             'the background while requests use the cache. Between '
             'them, each request re-reads only the nodes whose '
             'generation changed (claims, inventory). Lower it if '
             'disabled services or aggregate changes must be seen '
             'sooner; 0 reloads everything on every request: simplest, '
             'slow on large clouds (a second at 10,000 nodes).'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(filter_scheduler_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: filter_scheduler_opts}
