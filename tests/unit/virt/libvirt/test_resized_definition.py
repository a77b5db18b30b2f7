"""config.resized_definition: a domain's XML with a resize's sizes and
disks, everything else as libvirt gave it back."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from nova.virt.libvirt import config
from nova.virt.libvirt.imagebackend import Disk
from tests.unit.virt import factories

NS = {'nova': config.NAMESPACE}


def _definition(instance, disks, image_meta=None) -> str:
    spec = config.guest_spec(instance, image_meta, virt_type='qemu',
                             cpu_mode=None, cpu_models=[], disks=disks)
    return config.to_xml(config.build_domain(spec))


def _disks(domain):
    return [(d.get('device'), d.find('target').get('bus'),
             d.find('target').get('dev'), d.find('source').get('file'),
             d.find('driver').get('type'))
            for d in domain.iterfind('devices/disk')]


def test_sizes_flavor_and_disks_change_the_rest_stays():
    old = factories.make_instance()
    before = ET.fromstring(_definition(
        old, [Disk('disk', '/i/disk', 'qcow2')]))
    # What libvirt adds to a definition it gives back.
    ET.SubElement(before, 'currentMemory', unit='KiB').text = '262144'
    cpu = ET.SubElement(before, 'cpu', mode='host-model')
    ET.SubElement(cpu, 'topology', sockets='1', cores='1', threads='1')
    new = factories.make_instance(
        uuid=old.uuid, name=old.name, flavor=factories.make_flavor(
            name='m1.big', vcpus=2, memory_mb=512, root_gb=2,
            ephemeral_gb=1, swap=64))

    after = ET.fromstring(config.resized_definition(
        ET.tostring(before, encoding='unicode'), new,
        [Disk('disk', '/i/disk', 'qcow2'),
         Disk('disk.eph0', '/i/disk.eph0', 'raw'),
         Disk('disk.swap', '/i/disk.swap', 'qcow2')]))

    assert after.findtext('memory') == after.findtext('currentMemory') == \
        str(512 * 1024)
    assert after.findtext('vcpu') == '2'
    assert after.find('cpu').get('mode') == 'host-model'
    assert after.find('cpu/topology') is None  # it was for one vCPU
    flavor = after.find('metadata/nova:instance/nova:flavor', NS)
    assert flavor.attrib == {'name': 'm1.big', 'vcpus': '2',
                             'memory-mb': '512', 'root-gb': '2',
                             'ephemeral-gb': '1', 'swap-mb': '64'}
    assert _disks(after) == [
        ('disk', 'virtio', 'vda', '/i/disk', 'qcow2'),
        ('disk', 'virtio', 'vdb', '/i/disk.eph0', 'raw'),
        ('disk', 'virtio', 'vdc', '/i/disk.swap', 'qcow2')]
    assert after.find('devices/serial') is not None
    assert after.findtext('uuid') == old.uuid


def test_disks_keep_their_bus_and_leave_cdrom_names_alone():
    """An ISO guest on IDE: root hda, CD-ROM hdb; a new ephemeral disk
    takes the next free IDE name, the CD-ROM keeps its own."""
    instance = factories.make_instance()
    image = factories.make_image_meta(properties={'hw_disk_bus': 'ide'})
    before = _definition(instance, [
        Disk('disk', '/i/disk', 'qcow2'),
        Disk('cdrom', '/base/iso', 'raw', device='cdrom')], image)

    after = ET.fromstring(config.resized_definition(before, instance, [
        Disk('disk', '/i/disk', 'qcow2'),
        Disk('disk.eph0', '/i/disk.eph0', 'qcow2')]))

    assert _disks(after) == [
        ('disk', 'ide', 'hda', '/i/disk', 'qcow2'),
        ('disk', 'ide', 'hdc', '/i/disk.eph0', 'qcow2'),
        ('cdrom', 'ide', 'hdb', '/base/iso', 'raw')]


def test_dropped_disks_leave_the_definition():
    instance = factories.make_instance()
    before = _definition(instance, [Disk('disk', '/i/disk', 'qcow2'),
                                    Disk('disk.swap', '/i/disk.swap',
                                         'qcow2')])
    after = ET.fromstring(config.resized_definition(
        before, instance, [Disk('disk', '/i/disk', 'qcow2')]))
    assert _disks(after) == [('disk', 'virtio', 'vda', '/i/disk', 'qcow2')]
