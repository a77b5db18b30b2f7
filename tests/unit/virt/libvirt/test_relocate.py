"""A definition made for another host (nova/virt/libvirt/relocate.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from nova.virt.libvirt import relocate

SOURCE = '/srv/a/instances/uuid-1'
DEST = '/srv/b/instances/uuid-1'
DEFINITION = f"""<domain type='qemu'>
  <name>instance-1</name>
  <os>
    <type>hvm</type>
    <loader>/usr/share/OVMF/OVMF_CODE.fd</loader>
    <kernel>/srv/a/instances/_base/k1</kernel>
    <initrd>/srv/a/instances/_base/i1</initrd>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='{SOURCE}/disk'/><target dev='vda'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/srv/a/instances/_base/iso1'/><target dev='hdc'/>
    </disk>
    <serial type='file'><source path='{SOURCE}/console.log'/></serial>
    <console type='file'><source path='{SOURCE}/console.log'/></console>
    <graphics type='vnc' autoport='yes' listen='10.0.0.1'>
      <listen type='address' address='10.0.0.1'/>
    </graphics>
  </devices>
</domain>"""


def test_files_outside_the_instance_directory_are_named():
    assert relocate.files_outside(DEFINITION, SOURCE) == [
        '/srv/a/instances/_base/k1', '/srv/a/instances/_base/i1',
        '/srv/a/instances/_base/iso1']
    # A trailing slash does not make the instance's own files "outside".
    assert relocate.files_outside(DEFINITION, SOURCE + '/') == \
        relocate.files_outside(DEFINITION, SOURCE)


def test_paths_move_and_outside_files_travel_into_the_directory():
    domain = ET.fromstring(relocate.relocated(DEFINITION, SOURCE, DEST,
                                              '10.0.0.2'))
    assert domain.find('os/kernel').text == f'{DEST}/cache-k1'
    assert domain.find('os/initrd').text == f'{DEST}/cache-i1'
    # Firmware belongs to the QEMU installation of every host.
    assert domain.find('os/loader').text == '/usr/share/OVMF/OVMF_CODE.fd'
    files = [s.get('file') for s in domain.iterfind('devices/disk/source')]
    assert files == [f'{DEST}/disk', f'{DEST}/cache-iso1']
    logs = {s.get('path') for s in domain.iterfind('devices/*/source')
            if s.get('path')}
    assert logs == {f'{DEST}/console.log'}
    graphics = domain.find('devices/graphics')
    assert graphics.get('listen') == '10.0.0.2'
    assert graphics.find('listen').get('address') == '10.0.0.2'


def test_a_destination_without_vnc_gets_no_graphics():
    domain = ET.fromstring(relocate.relocated(DEFINITION, SOURCE, DEST,
                                              None))
    assert domain.find('devices/graphics') is None


def test_a_sibling_directory_with_the_same_prefix_is_outside():
    definition = DEFINITION.replace(f'{SOURCE}/disk', f'{SOURCE}-2/disk')
    assert f'{SOURCE}-2/disk' in relocate.files_outside(definition, SOURCE)
