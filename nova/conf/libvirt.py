"""Options of the ``[libvirt]`` group: the libvirt (QEMU/KVM) driver."""

from oslo_config import cfg

GROUP = 'libvirt'

libvirt_opts = [
    cfg.StrOpt(
        'virt_type',
        default='kvm',
        choices=[('kvm', 'hardware-accelerated guests; needs /dev/kvm'),
                 ('qemu', 'software emulation (TCG); slow, runs anywhere')],
        help='Domain type of the guests. Use qemu where /dev/kvm is '
             'missing or unusable, e.g. inside another VM.'),
    cfg.StrOpt(
        'connection_uri',
        default='',
        help='libvirt URI to connect to. Empty means qemu:///system. Tests '
             'use test:///default, libvirt\'s in-process fake hypervisor.'),
    cfg.StrOpt(
        'cpu_mode',
        choices=[('host-model', 'a model close to the host CPU'),
                 ('host-passthrough', 'the host CPU itself; blocks live '
                                      'migration to different CPUs'),
                 ('custom', 'the first of cpu_models'),
                 ('none', 'the hypervisor default CPU')],
        help='CPU model shown to guests. Unset: host-model for kvm, none '
             'for qemu (TCG emulates a generic CPU). The image property '
             'hw_cpu_mode overrides it per image.'),
    cfg.ListOpt(
        'cpu_models',
        default=[],
        help='Named CPU models (e.g. Nehalem, Haswell-noTSX) for '
             'cpu_mode = custom; the first one is used.'),
    cfg.StrOpt(
        'instances_path',
        default='$state_path/instances',
        help='Directory of instance disks and console logs, one '
             'sub-directory per instance uuid, and of the image cache '
             '(_base). Needs room for every guest\'s disk.'),
    cfg.StrOpt(
        'images_type',
        default='qcow2',
        choices=[('qcow2', 'copy-on-write overlay over a cached image'),
                 ('raw', 'full raw copy per instance; more disk, less '
                         'indirection')],
        help='Format of instance root disks.'),
    cfg.StrOpt(
        'default_bridge',
        help='Linux bridge to plug guest NICs into when the network does '
             'not name one. Unset, such NICs are left out and the guest '
             'has no network.'),
    cfg.IntOpt(
        'shutdown_timeout',
        default=60,
        min=0,
        help='Seconds a soft reboot waits for the guest OS to shut down '
             'before it powers the guest off hard. Raise it for guests '
             'that stop slowly.'),
    cfg.IntOpt(
        'qemu_img_cpu_time_limit',
        default=30,
        min=1,
        help='CPU seconds a qemu-img run that inspects or creates a disk '
             'may use; guards against crafted image headers. Raise it on '
             'very slow hosts.'),
    cfg.IntOpt(
        'qemu_img_memory_limit_mb',
        default=1024,
        min=16,
        help='Address space, in MiB, a qemu-img run may use; guards '
             'against crafted image headers.'),
    cfg.StrOpt(
        'migration_inbound_addr',
        help='Address at which other computes reach this host to move '
             'guests here: QEMU listens on it for a live migration\'s '
             'memory and disk streams. Unset: [DEFAULT] host, which must '
             'then resolve to this host from the others.'),
    cfg.StrOpt(
        'migration_inbound_uri',
        help='libvirt URI at which other computes reach this host\'s '
             'libvirtd to move guests here (live migration) or to fetch '
             'the disks of a guest migrated away (cold migration). Unset: '
             'qemu+tcp://<migration_inbound_addr>/system; libvirtd must '
             'then listen on TCP with authentication set up.'),
    cfg.IntOpt(
        'live_migration_bandwidth',
        default=0,
        min=0,
        help='MiB/s a live migration may use for memory and disks; 0 '
             'leaves it to QEMU (as fast as it can).'),
    cfg.IntOpt(
        'live_migration_completion_timeout',
        default=800,
        min=0,
        help='Seconds a live migration may run before it is aborted and '
             'the guest stays where it was; 0 waits forever. A busy guest '
             'that dirties memory faster than the link copies it never '
             'converges: force-complete it (pausing it) or raise this.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(libvirt_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: libvirt_opts}
