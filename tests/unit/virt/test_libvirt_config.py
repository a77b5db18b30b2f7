"""Domain XML built by config.py, parsed back and checked."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from nova import exception
from nova.virt.libvirt import config
from nova.virt.libvirt import vif
from nova.virt.libvirt.imagebackend import Disk
from nova.virt.libvirt.imagebackend import KernelBoot
from tests.unit.virt import factories

NS = {'nova': config.NAMESPACE}
ROOT = Disk('disk', '/i/u/disk', 'qcow2')


def build(instance=None, image_meta=None, *, virt_type='qemu',
          cpu_mode=None, cpu_models=(), disks=(ROOT,), **kwargs):
    instance = instance or factories.make_instance()
    spec = config.guest_spec(instance, image_meta, virt_type=virt_type,
                             cpu_mode=cpu_mode, cpu_models=cpu_models,
                             disks=disks, **kwargs)
    return ET.fromstring(config.to_xml(config.build_domain(spec)))


def props(**properties):
    return factories.make_image_meta(properties=properties)


def test_identity_sizes_and_lifecycle_policy():
    instance = factories.make_instance(
        flavor=factories.make_flavor(vcpus=2, memory_mb=512))
    dom = build(instance, virt_type='kvm')
    assert dom.tag == 'domain' and dom.get('type') == 'kvm'
    assert dom.findtext('name') == instance.name
    assert dom.findtext('uuid') == instance.uuid
    assert dom.find('memory').get('unit') == 'KiB'
    assert dom.findtext('memory') == str(512 * 1024)
    assert dom.findtext('vcpu') == '2'
    assert dom.findtext('on_poweroff') == 'destroy'
    assert dom.findtext('on_crash') == 'destroy'
    assert dom.findtext('on_reboot') == 'restart'
    assert dom.find('features/acpi') is not None
    assert dom.find('features/apic') is not None
    assert dom.find('clock').get('offset') == 'utc'
    assert dom.findtext('os/type') == 'hvm'
    assert [b.get('dev') for b in dom.findall('os/boot')] == ['hd']


def test_windows_guests_keep_local_time():
    dom = build(image_meta=props(os_type='windows'))
    assert dom.find('clock').get('offset') == 'localtime'


def test_machine_type_and_architecture_from_the_image():
    dom = build(image_meta=props(hw_machine_type='q35',
                                 hw_architecture='x86_64'))
    assert dom.find('os/type').attrib == {'machine': 'q35',
                                          'arch': 'x86_64'}


@pytest.mark.parametrize('virt_type,cpu_mode,image_mode,expected', [
    ('qemu', None, None, None),  # TCG: hypervisor default CPU
    ('kvm', None, None, 'host-model'),
    ('kvm', 'host-passthrough', None, 'host-passthrough'),
    ('kvm', 'none', None, None),
    ('qemu', None, 'host-model', 'host-model'),
    ('kvm', 'host-passthrough', 'none', None),
])
def test_cpu_mode(virt_type, cpu_mode, image_mode, expected):
    meta = props(hw_cpu_mode=image_mode) if image_mode else None
    cpu = build(image_meta=meta, virt_type=virt_type,
                cpu_mode=cpu_mode).find('cpu')
    if expected is None:
        assert cpu is None
    else:
        assert cpu.get('mode') == expected


def test_custom_cpu_model_uses_the_first_listed():
    cpu = build(cpu_mode='custom', cpu_models=['Nehalem', 'Haswell']).find(
        'cpu')
    assert cpu.get('mode') == 'custom'
    assert cpu.findtext('model') == 'Nehalem'


def test_custom_cpu_without_models_is_an_error():
    with pytest.raises(exception.Invalid, match='cpu_models'):
        build(cpu_mode='custom')


def test_unknown_image_cpu_mode_is_refused():
    with pytest.raises(exception.ImageUnacceptable, match='hw_cpu_mode'):
        build(image_meta=props(hw_cpu_mode='turbo'))


def disks_of(dom):
    return [(d.get('device'), d.find('target').get('bus'),
             d.find('target').get('dev'), d.find('driver').get('type'),
             d.find('source').get('file'))
            for d in dom.findall('devices/disk')]


ALL_DISKS = (ROOT, Disk('disk.eph0', '/i/u/disk.eph0', 'qcow2'),
             Disk('cdrom', '/b/iso', 'raw', device='cdrom'))


def test_virtio_disks_by_default_and_an_ide_cdrom():
    dom = build(disks=ALL_DISKS)
    assert disks_of(dom) == [
        ('disk', 'virtio', 'vda', 'qcow2', '/i/u/disk'),
        ('disk', 'virtio', 'vdb', 'qcow2', '/i/u/disk.eph0'),
        ('cdrom', 'ide', 'hda', 'raw', '/b/iso')]
    cdrom = dom.find('devices/disk[@device="cdrom"]')
    assert cdrom.find('readonly') is not None
    assert [b.get('dev') for b in dom.findall('os/boot')] == ['cdrom', 'hd']


@pytest.mark.parametrize('bus,devs', [
    ('ide', ['hda', 'hdb', 'hdc']),
    ('sata', ['sda', 'sdb', 'hda']),
    ('scsi', ['sda', 'sdb', 'hda'])])
def test_disk_bus_from_the_image(bus, devs):
    dom = build(image_meta=props(hw_disk_bus=bus), disks=ALL_DISKS)
    assert [d[2] for d in disks_of(dom)] == devs
    assert [d[1] for d in disks_of(dom)][:2] == [bus, bus]
    scsi = dom.find('devices/controller[@type="scsi"]')
    assert (scsi is not None) == (bus == 'scsi')
    if scsi is not None:
        assert scsi.get('model') == 'virtio-scsi'


def test_cdrom_bus_from_the_image_and_sata_on_q35():
    dom = build(image_meta=props(hw_cdrom_bus='scsi'), disks=ALL_DISKS)
    assert disks_of(dom)[2][1:3] == ('scsi', 'sda')
    dom = build(image_meta=props(hw_machine_type='pc-q35-7.2'),
                disks=ALL_DISKS)
    assert disks_of(dom)[2][1:3] == ('sata', 'sda')


@pytest.mark.parametrize('key,value', [('hw_disk_bus', 'floppy'),
                                       ('hw_cdrom_bus', 'virtio')])
def test_unknown_buses_are_refused(key, value):
    with pytest.raises(exception.ImageUnacceptable, match=key):
        build(image_meta=props(**{key: value}), disks=ALL_DISKS)


def test_serial_console_log_file_and_an_interactive_pty():
    dom = build(console_log='/i/u/console.log')
    serials = dom.findall('devices/serial')
    assert [s.get('type') for s in serials] == ['file', 'pty']
    assert serials[0].find('source').get('path') == '/i/u/console.log'
    # Kept across reboots: QEMU would truncate it at each start.
    assert serials[0].find('source').get('append') == 'on'
    assert [s.get('type') for s in build().findall('devices/serial')] == [
        'pty']


def test_vnc_only_when_a_listen_address_is_given():
    assert build().find('devices/graphics') is None
    dom = build(graphics_listen='127.0.0.1')
    graphics = dom.find('devices/graphics')
    assert graphics.attrib == {'type': 'vnc', 'autoport': 'yes',
                               'listen': '127.0.0.1'}
    assert dom.find('devices/input').get('type') == 'tablet'


def test_interfaces_are_placed_among_the_devices():
    nics = vif.interface_elements(factories.make_network_info(count=2),
                                  None, None)
    dom = build(interfaces=nics)
    assert [i.find('mac').get('address')
            for i in dom.findall('devices/interface')] == [
        'fa:16:3e:00:00:01', 'fa:16:3e:00:00:02']


def test_direct_kernel_boot():
    dom = build(kernel=KernelBoot('/b/k', '/b/i', 'console=ttyS0'))
    assert dom.findtext('os/kernel') == '/b/k'
    assert dom.findtext('os/initrd') == '/b/i'
    assert dom.findtext('os/cmdline') == 'console=ttyS0'
    assert dom.find('os/boot') is None
    no_initrd = build(kernel=KernelBoot('/b/k', None, 'x'))
    assert no_initrd.find('os/initrd') is None


def test_metadata_in_our_namespace():
    instance = factories.make_instance(
        display_name='web-1', project_id='p-9', user_id='u-9',
        flavor=factories.make_flavor(name='m1.small', memory_mb=2048,
                                     root_gb=20, swap=512))
    dom = build(instance, factories.make_image_meta(id='img-1'))
    meta = dom.find('metadata/nova:instance', NS)
    assert meta is not None
    assert meta.findtext('nova:uuid', namespaces=NS) == instance.uuid
    assert meta.findtext('nova:display-name', namespaces=NS) == 'web-1'
    assert datetime.datetime.fromisoformat(
        meta.findtext('nova:created', namespaces=NS)).tzinfo is not None
    assert meta.find('nova:flavor', NS).attrib == {
        'name': 'm1.small', 'vcpus': '1', 'memory-mb': '2048',
        'root-gb': '20', 'ephemeral-gb': '0', 'swap-mb': '512'}
    assert meta.find('nova:owner', NS).attrib == {'project-id': 'p-9',
                                                  'user-id': 'u-9'}
    assert meta.find('nova:image', NS).get('id') == 'img-1'


def test_xml_text_uses_the_nova_prefix():
    spec = config.guest_spec(factories.make_instance(), None,
                             virt_type='qemu', cpu_mode=None, cpu_models=[],
                             disks=[ROOT])
    text = config.to_xml(config.build_domain(spec))
    assert f'xmlns:nova="{config.NAMESPACE}"' in text
    assert '<nova:instance' in text


@pytest.mark.parametrize('properties, user', [
    ({'hw_qemu_guest_agent': 'yes'}, 'root'),
    ({'hw_qemu_guest_agent': 'True', 'os_type': 'windows'}, 'Administrator'),
    ({'hw_qemu_guest_agent': 'yes', 'os_admin_user': 'cloud'}, 'cloud'),
    ({'hw_qemu_guest_agent': 'no'}, None),
    ({}, None)])
def test_guest_agent_channel_and_its_user_from_the_image(properties, user):
    dom = build(image_meta=props(**properties))
    channels = dom.findall('devices/channel')
    admin = dom.find('metadata/nova:instance/nova:admin-user', NS)
    if user is None:
        assert channels == [] and admin is None
        return
    assert [(c.get('type'), c.find('target').attrib) for c in channels] == [
        ('unix', {'type': 'virtio', 'name': 'org.qemu.guest_agent.0'})]
    assert admin.text == user
