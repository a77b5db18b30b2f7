"""Guest NICs: bridged when a bridge is known, left out otherwise."""

import pytest

from nova import exception
from nova.virt.libvirt import vif
from tests.unit.virt import factories


def test_bridge_of_the_network():
    network_info = factories.make_network_info(bridge='br-net')
    (nic,) = vif.interface_elements(network_info, None, 'br-default')
    assert nic.get('type') == 'bridge'
    assert nic.find('source').get('bridge') == 'br-net'
    assert nic.find('mac').get('address') == network_info[0]['address']
    assert nic.find('model').get('type') == 'virtio'
    target = nic.find('target').get('dev')
    assert target.startswith('tap') and len(target) <= 14
    assert network_info[0]['id'].startswith(target[3:])


def test_default_bridge_when_the_network_names_none():
    (nic,) = vif.interface_elements(factories.make_network_info(bridge=None),
                                    None, 'br-default')
    assert nic.find('source').get('bridge') == 'br-default'


def test_no_bridge_at_all_means_no_nic(caplog):
    network_info = factories.make_network_info(bridge=None)
    assert vif.interface_elements(network_info, None, None) == []
    assert 'no NIC' in caplog.text


def test_no_vifs():
    assert vif.interface_elements([], None, 'br0') == []


@pytest.mark.parametrize('model', ['e1000', 'rtl8139', 'virtio'])
def test_model_from_the_image(model):
    meta = factories.make_image_meta(properties={'hw_vif_model': model})
    (nic,) = vif.interface_elements(factories.make_network_info(), meta,
                                    None)
    assert nic.find('model').get('type') == model


def test_unknown_model_is_refused():
    meta = factories.make_image_meta(properties={'hw_vif_model': 'tulip'})
    with pytest.raises(exception.ImageUnacceptable, match='hw_vif_model'):
        vif.interface_elements(factories.make_network_info(), meta, None)
