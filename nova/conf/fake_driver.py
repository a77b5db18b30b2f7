"""Options of the ``[fake_driver]`` group: the in-memory hypervisor.

Used when ``[DEFAULT] compute_driver = fake`` (the embedded default and
scale tests). Inventory options shape what each simulated node reports;
failure and latency options make reschedule and timeout paths testable
against the real control plane without mocks.
"""

from oslo_config import cfg
from oslo_config import types

GROUP = 'fake_driver'

# Operations fail_operations accepts: the fake driver's guest operations,
# by method name.
OPERATIONS = (
    'spawn', 'destroy', 'rebuild', 'reboot', 'power_off', 'power_on',
    'pause', 'unpause', 'suspend', 'resume', 'rescue', 'unrescue',
    'snapshot', 'set_admin_password', 'trigger_crash_dump',
    'get_console_output', 'get_vnc_console', 'get_serial_console',
    'migrate_disk_and_power_off', 'finish_migration', 'confirm_migration',
    'finish_revert_migration', 'live_migration',
    'post_live_migration_at_destination',
)

inventory_opts = [
    cfg.IntOpt(
        'vcpus',
        default=16,
        min=1,
        help='Physical CPUs each simulated node reports. Raise it to pack '
             'more instances per node in scale tests.'),
    cfg.IntOpt(
        'memory_mb',
        default=32768,
        min=1,
        help='Memory, in MiB, each simulated node reports.'),
    cfg.IntOpt(
        'local_gb',
        default=500,
        min=1,
        help='Local disk, in GiB, each simulated node reports.'),
    cfg.ListOpt(
        'nodes',
        default=['1'],
        help='Simulated nodes per nova-compute service: a number N, or a '
             'list of node names. With N = 1 the node is named like the '
             'host; with N > 1 the nodes are "<host>-node1" to '
             '"<host>-nodeN". In names, "{host}" is replaced by the '
             'service host name so several services in one process '
             '(nova-all) get distinct nodes.'),
    cfg.IntOpt(
        'hypervisor_version',
        default=1000,
        min=0,
        help='Version number the nodes report as hypervisor_version. '
             'Change it to test version-dependent scheduling.'),
]

injection_opts = [
    cfg.ListOpt(
        'fail_spawn_on_hosts',
        default=[],
        mutable=True,
        help='Service host names on which every spawn fails. Use it to '
             'test rescheduling to another host.'),
    cfg.ListOpt(
        'fail_spawn_for_images',
        default=[],
        mutable=True,
        help='Image names or ids whose spawn fails on every host. Use it '
             'to test builds that end in ERROR after all retries.'),
    cfg.ListOpt(
        'fail_operations',
        default=[],
        item_type=types.String(choices=OPERATIONS),
        mutable=True,
        help='Guest operations (driver method names, e.g. '
             '"reboot,power_off") that fail on this service with a '
             'VirtDriverError, leaving the guest as it was.'),
    cfg.FloatOpt(
        'fail_spawn_fraction',
        default=0.0,
        min=0.0,
        max=1.0,
        mutable=True,
        help='Fraction (0 to 1) of spawns that fail. Which ones is decided '
             'by a hash of the instance uuid and the host, so a run is '
             'reproducible and a rescheduled build may succeed elsewhere.'),
    cfg.FloatOpt(
        'spawn_delay',
        default=0.0,
        min=0.0,
        mutable=True,
        help='Seconds every spawn takes before the guest exists. Use it to '
             'test build timeouts and concurrent requests.'),
    cfg.FloatOpt(
        'operation_delay',
        default=0.0,
        min=0.0,
        mutable=True,
        help='Seconds every other guest operation (reboot, power_off, '
             'snapshot...) takes before it acts.'),
    cfg.FloatOpt(
        'live_migration_duration',
        default=0.0,
        min=0.0,
        mutable=True,
        help='Seconds a live migration spends copying the guest\'s memory '
             '(after operation_delay). During that time it can be forced '
             'to complete or aborted through the Compute API.'),
]

ALL_OPTS = inventory_opts + injection_opts


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(ALL_OPTS, group=GROUP)


def list_opts() -> dict:
    return {GROUP: ALL_OPTS}
