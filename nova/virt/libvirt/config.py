"""Domain XML: a ``GuestSpec`` in, an ElementTree element out.

``guest_spec`` gathers every decision (CPU mode, buses, device names) from
the instance, the image and the options; ``build_domain`` only renders, so
tests can check either half on its own. The instance's identity goes into
``<metadata>`` under our own namespace, so an operator running
``virsh dumpxml`` sees which server and project a domain belongs to.
"""

from __future__ import annotations

import dataclasses
import datetime
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from nova import exception
from nova.virt.contract import ImageMeta
from nova.virt.contract import Instance
from nova.virt.contract import flavor_field
from nova.virt.contract import image_property
from nova.virt.libvirt.imagebackend import Disk
from nova.virt.libvirt.imagebackend import KernelBoot

NAMESPACE = 'urn:nova-style:libvirt:instance:1'
ET.register_namespace('nova', NAMESPACE)

CPU_MODES = ('host-model', 'host-passthrough', 'custom', 'none')
DISK_BUSES = ('virtio', 'ide', 'sata', 'scsi')
CDROM_BUSES = ('ide', 'sata', 'scsi')  # virtio-blk cannot be a CD-ROM
_DEV_PREFIX = {'virtio': 'vd', 'ide': 'hd', 'sata': 'sd', 'scsi': 'sd'}


@dataclasses.dataclass(frozen=True)
class DiskSpec:
    path: str
    format: str
    device: str  # disk | cdrom
    bus: str
    target_dev: str


@dataclasses.dataclass
class GuestSpec:
    virt_type: str
    name: str
    uuid: str
    memory_mb: int
    vcpus: int
    cpu_mode: str = 'none'
    cpu_model: str | None = None
    machine_type: str | None = None
    arch: str | None = None
    os_type: str = 'linux'
    disks: list[DiskSpec] = dataclasses.field(default_factory=list)
    interfaces: list[ET.Element] = dataclasses.field(default_factory=list)
    console_log: str | None = None
    graphics_listen: str | None = None
    kernel: KernelBoot | None = None
    metadata: ET.Element | None = None
    guest_agent: bool = False


GUEST_AGENT_CHANNEL = 'org.qemu.guest_agent.0'


def _ns(tag: str) -> str:
    return f'{{{NAMESPACE}}}{tag}'


def _unacceptable(image_meta: ImageMeta | None,
                  reason: str) -> exception.ImageUnacceptable:
    return exception.ImageUnacceptable(
        image_id=str((image_meta or {}).get('id')), reason=reason)


def choose_cpu(virt_type: str, cpu_mode: str | None,
               cpu_models: Sequence[str],
               image_meta: ImageMeta | None) -> tuple[str, str | None]:
    """(mode, model): the image's hw_cpu_mode, else the option, else the
    default of the virt type (TCG cannot pass the host CPU through)."""
    mode = (image_property(image_meta, 'hw_cpu_mode') or cpu_mode
            or ('host-model' if virt_type == 'kvm' else 'none'))
    if mode not in CPU_MODES:
        raise _unacceptable(image_meta, f'hw_cpu_mode {mode} is not one of '
                                        f'{", ".join(CPU_MODES)}')
    if mode != 'custom':
        return mode, None
    if not cpu_models:
        raise exception.Invalid(reason='cpu mode custom needs a model in '
                                       '[libvirt] cpu_models')
    return mode, cpu_models[0]


def disk_specs(disks: Sequence[Disk],
               image_meta: ImageMeta | None) -> list[DiskSpec]:
    """Bus and guest device name of each disk, in order."""
    machine = image_property(image_meta, 'hw_machine_type', '') or ''
    disk_bus = image_property(image_meta, 'hw_disk_bus', 'virtio')
    cdrom_bus = image_property(image_meta, 'hw_cdrom_bus',
                               'sata' if 'q35' in machine else 'ide')
    if disk_bus not in DISK_BUSES:
        raise _unacceptable(image_meta, f'hw_disk_bus {disk_bus} is not one '
                                        f'of {", ".join(DISK_BUSES)}')
    if cdrom_bus not in CDROM_BUSES:
        raise _unacceptable(image_meta, f'hw_cdrom_bus {cdrom_bus} is not '
                                        f'one of {", ".join(CDROM_BUSES)}')
    used: dict[str, int] = {}
    specs = []
    for disk in disks:
        bus = cdrom_bus if disk.device == 'cdrom' else disk_bus
        prefix = _DEV_PREFIX[bus]
        index = used.get(prefix, 0)
        used[prefix] = index + 1
        specs.append(DiskSpec(disk.path, disk.format, disk.device, bus,
                              prefix + chr(ord('a') + index)))
    return specs


def _flavor_attributes(instance: Instance) -> dict[str, str]:
    return {'name': str(flavor_field(instance, 'name', '')),
            'vcpus': str(instance.vcpus),
            'memory-mb': str(instance.memory_mb),
            'root-gb': str(instance.root_gb),
            'ephemeral-gb': str(instance.ephemeral_gb or 0),
            'swap-mb': str(instance.swap or 0)}


def metadata_element(instance: Instance, image_meta: ImageMeta | None,
                     created: datetime.datetime | None = None) -> ET.Element:
    created = created or datetime.datetime.now(datetime.UTC)
    root = ET.Element(_ns('instance'))
    ET.SubElement(root, _ns('uuid')).text = instance.uuid
    ET.SubElement(root, _ns('display-name')).text = instance.display_name
    ET.SubElement(root, _ns('created')).text = created.isoformat(
        timespec='seconds')
    ET.SubElement(root, _ns('flavor'), _flavor_attributes(instance))
    ET.SubElement(root, _ns('owner'), {'project-id': instance.project_id,
                                        'user-id': instance.user_id})
    ET.SubElement(root, _ns('image'),
                  id=str((image_meta or {}).get('id') or instance.image_ref))
    return root


def guest_spec(instance: Instance, image_meta: ImageMeta | None, *,
               virt_type: str, cpu_mode: str | None,
               cpu_models: Sequence[str], disks: Sequence[Disk],
               interfaces: Sequence[ET.Element] = (),
               console_log: str | None = None,
               graphics_listen: str | None = None,
               kernel: KernelBoot | None = None) -> GuestSpec:
    mode, model = choose_cpu(virt_type, cpu_mode, cpu_models, image_meta)
    metadata = metadata_element(instance, image_meta)
    agent = str(image_property(image_meta, 'hw_qemu_guest_agent',
                               'no')).lower() in ('yes', 'true', '1')
    if agent:
        # Whose password changePassword sets through the agent.
        os_type = image_property(image_meta, 'os_type', 'linux')
        ET.SubElement(metadata, _ns('admin-user')).text = str(
            image_property(image_meta, 'os_admin_user',
                           'Administrator' if os_type == 'windows'
                           else 'root'))
    return GuestSpec(
        virt_type=virt_type, name=instance.name, uuid=instance.uuid,
        memory_mb=int(instance.memory_mb), vcpus=int(instance.vcpus),
        cpu_mode=mode, cpu_model=model,
        machine_type=image_property(image_meta, 'hw_machine_type'),
        arch=image_property(image_meta, 'hw_architecture'),
        os_type=image_property(image_meta, 'os_type', 'linux'),
        disks=disk_specs(disks, image_meta), interfaces=list(interfaces),
        console_log=console_log, graphics_listen=graphics_listen,
        kernel=kernel, metadata=metadata, guest_agent=agent)


def _os_element(spec: GuestSpec) -> ET.Element:
    os_el = ET.Element('os')
    type_attrs = {}
    if spec.arch:
        type_attrs['arch'] = spec.arch
    if spec.machine_type:
        type_attrs['machine'] = spec.machine_type
    ET.SubElement(os_el, 'type', type_attrs).text = 'hvm'
    if spec.kernel:
        ET.SubElement(os_el, 'kernel').text = spec.kernel.kernel
        if spec.kernel.initrd:
            ET.SubElement(os_el, 'initrd').text = spec.kernel.initrd
        ET.SubElement(os_el, 'cmdline').text = spec.kernel.cmdline
        return os_el
    if any(d.device == 'cdrom' for d in spec.disks):
        ET.SubElement(os_el, 'boot', dev='cdrom')
    ET.SubElement(os_el, 'boot', dev='hd')
    return os_el


def _disk_element(disk: DiskSpec) -> ET.Element:
    el = ET.Element('disk', type='file', device=disk.device)
    ET.SubElement(el, 'driver', name='qemu', type=disk.format)
    ET.SubElement(el, 'source', file=disk.path)
    ET.SubElement(el, 'target', dev=disk.target_dev, bus=disk.bus)
    if disk.device == 'cdrom':
        ET.SubElement(el, 'readonly')
    return el


def _devices_element(spec: GuestSpec) -> ET.Element:
    devices = ET.Element('devices')
    devices.extend(_disk_element(d) for d in spec.disks)
    if any(d.bus == 'scsi' for d in spec.disks):
        ET.SubElement(devices, 'controller', type='scsi',
                      model='virtio-scsi')
    devices.extend(spec.interfaces)
    if spec.console_log:
        # The first serial port (the guest's ttyS0) is logged to a file
        # for get_console_output; a second one stays interactive. QEMU
        # truncates the file each time it starts the guest unless told to
        # append: the log of the boot before a reboot would be lost.
        serial = ET.SubElement(devices, 'serial', type='file')
        ET.SubElement(serial, 'source', path=spec.console_log,
                      append='on')
    ET.SubElement(devices, 'serial', type='pty')
    if spec.guest_agent:
        channel = ET.SubElement(devices, 'channel', type='unix')
        ET.SubElement(channel, 'source', mode='bind')
        ET.SubElement(channel, 'target', type='virtio',
                      name=GUEST_AGENT_CHANNEL)
    if spec.graphics_listen:
        ET.SubElement(devices, 'graphics', type='vnc', autoport='yes',
                      listen=spec.graphics_listen)
        ET.SubElement(devices, 'input', type='tablet', bus='usb')
    return devices


def build_domain(spec: GuestSpec) -> ET.Element:
    domain = ET.Element('domain', type=spec.virt_type)
    ET.SubElement(domain, 'name').text = spec.name
    ET.SubElement(domain, 'uuid').text = spec.uuid
    if spec.metadata is not None:
        ET.SubElement(domain, 'metadata').append(spec.metadata)
    ET.SubElement(domain, 'memory', unit='KiB').text = str(
        spec.memory_mb * 1024)
    ET.SubElement(domain, 'vcpu').text = str(spec.vcpus)
    domain.append(_os_element(spec))
    features = ET.SubElement(domain, 'features')
    ET.SubElement(features, 'acpi')  # without it a guest cannot power off
    ET.SubElement(features, 'apic')
    if spec.cpu_mode == 'custom':
        cpu = ET.SubElement(domain, 'cpu', mode='custom', match='exact')
        ET.SubElement(cpu, 'model', fallback='allow').text = spec.cpu_model
    elif spec.cpu_mode != 'none':
        ET.SubElement(domain, 'cpu', mode=spec.cpu_mode)
    ET.SubElement(domain, 'clock', offset=(
        'localtime' if spec.os_type == 'windows' else 'utc'))
    # A guest that powers itself off stops (SHUTDOWN) instead of lingering
    # or restarting, so the manager's power state stays true.
    ET.SubElement(domain, 'on_poweroff').text = 'destroy'
    ET.SubElement(domain, 'on_reboot').text = 'restart'
    ET.SubElement(domain, 'on_crash').text = 'destroy'
    domain.append(_devices_element(spec))
    return domain


def to_xml(element: ET.Element) -> str:
    ET.indent(element)
    return ET.tostring(element, encoding='unicode')


def resized_definition(definition: str, instance: Instance,
                       disks: Sequence[Disk]) -> str:
    """``definition`` (a domain's XML) with the sizes of ``instance``'s
    flavor and ``disks`` as its disks (CD-ROMs stay as they are).

    The rest of the domain is kept: it was made from image properties
    that a resize is not given again. The disks take the bus of the
    first one they replace and device names in order, as at spawn.
    """
    domain = ET.fromstring(definition)
    kib = str(int(instance.memory_mb) * 1024)
    for tag in ('memory', 'currentMemory'):
        el = domain.find(tag)
        if el is not None:
            el.text, el.attrib = kib, {'unit': 'KiB'}
    vcpu = domain.find('vcpu')
    if vcpu is None:
        vcpu = ET.SubElement(domain, 'vcpu')
    vcpu.text = str(instance.vcpus)
    cpu = domain.find('cpu')
    topology = cpu.find('topology') if cpu is not None else None
    if topology is not None:  # made for the old vCPU count
        cpu.remove(topology)
    flavor = domain.find(f'metadata/{_ns("instance")}/{_ns("flavor")}')
    if flavor is not None:
        flavor.attrib = _flavor_attributes(instance)
    _replace_disks(domain.find('devices'), disks)
    return to_xml(domain)


def _replace_disks(devices: ET.Element, disks: Sequence[Disk]) -> None:
    old = devices.findall('disk[@device="disk"]')
    target = old[0].find('target') if old else None
    bus = target.get('bus', 'virtio') if target is not None else 'virtio'
    position = list(devices).index(old[0]) if old else 0
    for el in old:
        devices.remove(el)
    used = {t.get('dev') for t in devices.iterfind('disk/target')}
    prefix = _DEV_PREFIX.get(bus, 'vd')
    names = (prefix + chr(ord('a') + i) for i in range(26))
    for offset, disk in enumerate(disks):
        name = next(n for n in names if n not in used)
        devices.insert(position + offset, _disk_element(
            DiskSpec(disk.path, disk.format, 'disk', bus, name)))
