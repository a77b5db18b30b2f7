"""Guest network interfaces.

A VIF becomes ``<interface type='bridge'>`` on the network's bridge, or on
``[libvirt] default_bridge`` when the network names none. With neither,
the VIF is left out (the guest gets no NIC for it) and a warning is
logged. We chose that over user-mode networking (``type='user'``): a
user-mode NIC would hand the guest a private 10.0.2.x address of QEMU's
own, not the fixed IP the API shows for the server, so it would look
connected while being unreachable at its advertised address.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from oslo_log import log as logging

from nova import exception
from nova.virt.contract import ImageMeta
from nova.virt.contract import NetworkInfo
from nova.virt.contract import image_property

LOG = logging.getLogger(__name__)

VIF_MODELS = ('virtio', 'e1000', 'e1000e', 'rtl8139', 'ne2k_pci', 'pcnet')
DEFAULT_MODEL = 'virtio'


def tap_name(vif_id: str) -> str:
    # Linux interface names are limited to 15 characters.
    return ('tap' + vif_id)[:14]


def vif_model(image_meta: ImageMeta | None) -> str:
    model = image_property(image_meta, 'hw_vif_model', DEFAULT_MODEL)
    if model not in VIF_MODELS:
        raise exception.ImageUnacceptable(
            image_id=str((image_meta or {}).get('id')),
            reason=f'hw_vif_model {model} is not one of '
                   f'{", ".join(VIF_MODELS)}')
    return model


def interface_elements(network_info: NetworkInfo,
                       image_meta: ImageMeta | None,
                       default_bridge: str | None) -> list[ET.Element]:
    """``<interface>`` elements for the VIFs that have a bridge."""
    model = vif_model(image_meta)
    elements = []
    for vif in network_info or []:
        network = vif.get('network') or {}
        bridge = network.get('bridge') or default_bridge
        if not bridge:
            LOG.warning('VIF %s (network %s) has no bridge and [libvirt] '
                        'default_bridge is unset: the guest gets no NIC '
                        'for it', vif.get('id'), network.get('label'))
            continue
        interface = ET.Element('interface', type='bridge')
        ET.SubElement(interface, 'mac', address=vif['address'])
        ET.SubElement(interface, 'source', bridge=bridge)
        ET.SubElement(interface, 'target', dev=tap_name(vif['id']))
        ET.SubElement(interface, 'model', type=model)
        elements.append(interface)
    return elements
