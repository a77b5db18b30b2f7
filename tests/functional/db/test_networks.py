"""Networks and fixed IPs: an address is never handed out twice."""

import pytest
from oslo_utils import uuidutils

from nova import exception
from nova.db.api import networks
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.db._race import race


def _uuid():
    return uuidutils.generate_uuid()


def test_network_defaults_and_visibility(db, ctxt):
    shared = factories.make_network(ctxt, cidr='10.1.0.0/24')
    own = factories.make_network(ctxt, cidr='10.2.0.0/24',
                                 project_id='project-a')
    factories.make_network(ctxt, cidr='10.3.0.0/24', project_id='other')

    assert shared['gateway'] == '10.1.0.1'
    assert networks.network_get_by_uuid(ctxt, own['uuid'])['id'] == own['id']
    visible = networks.network_get_all(ctxt, project_id='project-a')
    assert [n['id'] for n in visible] == [shared['id'], own['id']]
    assert len(networks.network_get_all(ctxt)) == 3


def test_bad_cidr_is_invalid(db, ctxt):
    with pytest.raises(exception.Invalid, match='CIDR'):
        factories.make_network(ctxt, cidr='10.0.0.1/24')


def test_allocation_takes_lowest_free_address(db, ctxt):
    net = factories.make_network(ctxt, cidr='192.168.0.0/29')
    instance = _uuid()

    first = networks.fixed_ip_allocate(ctxt, net['id'], instance)
    networks.fixed_ip_reserve(ctxt, net['id'], '192.168.0.3')
    second = networks.fixed_ip_allocate(ctxt, net['id'], instance)

    # .1 is the gateway, .3 reserved.
    assert (first['address'], second['address']) == (
        '192.168.0.2', '192.168.0.4')
    assert first['allocated'] is True
    listed = networks.fixed_ip_get_by_instance(ctxt, instance)
    assert [ip['address'] for ip in listed] == ['192.168.0.2',
                                                '192.168.0.4']
    assert listed[0]['network_uuid'] == net['uuid']


def test_requested_address(db, ctxt):
    net = factories.make_network(ctxt, cidr='192.168.0.0/24')
    networks.fixed_ip_allocate(ctxt, net['id'], _uuid(), '192.168.0.50')

    with pytest.raises(exception.FixedIpAlreadyInUse):
        networks.fixed_ip_allocate(ctxt, net['id'], _uuid(),
                                   '192.168.0.50')
    with pytest.raises(exception.Invalid):
        networks.fixed_ip_allocate(ctxt, net['id'], _uuid(), '10.0.0.5')


def test_release_makes_the_address_free_again(db, ctxt):
    net = factories.make_network(ctxt, cidr='192.168.0.0/30')
    instance = _uuid()
    ip = networks.fixed_ip_allocate(ctxt, net['id'], instance)

    with pytest.raises(exception.NoMoreFixedIps):
        networks.fixed_ip_allocate(ctxt, net['id'], _uuid())
    networks.fixed_ip_release(ctxt, net['id'], ip['address'])
    again = networks.fixed_ip_allocate(ctxt, net['id'], _uuid())

    assert again['address'] == ip['address']
    assert networks.fixed_ips_release_by_instance(ctxt, instance) == 0
    with pytest.raises(exception.FixedIpNotFound):
        networks.fixed_ip_release(ctxt, net['id'], ip['address'] + '9')


def test_ipv6_and_lease_flag(db, ctxt):
    net = factories.make_network(ctxt, cidr='fd00::/64')
    ip = networks.fixed_ip_allocate(ctxt, net['id'], _uuid())

    updated = networks.fixed_ip_update(ctxt, net['id'], ip['address'],
                                       {'leased': True})

    assert ip['address'] == 'fd00::2'
    assert updated['leased'] is True


def test_network_in_use_cannot_be_deleted(db, ctxt):
    net = factories.make_network(ctxt)
    instance = _uuid()
    networks.fixed_ip_allocate(ctxt, net['id'], instance)

    with pytest.raises(exception.Conflict):
        networks.network_delete(ctxt, net['id'])
    networks.fixed_ips_release_by_instance(ctxt, instance)
    networks.network_delete(ctxt, net['id'])
    with pytest.raises(exception.NetworkNotFound):
        networks.network_get(ctxt, net['id'])


@database.all_backends
def test_concurrent_allocations_get_distinct_addresses(db, ctxt):
    # A /28 has 14 host addresses; minus the gateway, 13 are free, and
    # three are taken already: exactly 10 left for 20 racers.
    net = factories.make_network(ctxt, cidr='172.16.0.0/28')
    for address in ('172.16.0.2', '172.16.0.3', '172.16.0.9'):
        networks.fixed_ip_reserve(ctxt, net['id'], address)

    def allocate(i):
        return networks.fixed_ip_allocate(factories.admin_context(),
                                          net['id'], _uuid())['address']

    won, lost = race(allocate, 20)

    assert len(won) == 10, lost
    assert len(set(won)) == 10
    assert all(isinstance(e, exception.NoMoreFixedIps) for e in lost), lost
    taken = [ip['address']
             for ip in networks.fixed_ip_get_by_network(ctxt, net['id'])]
    assert len(taken) == len(set(taken)) == 13


@database.all_backends
def test_concurrent_requests_for_one_address(db, ctxt):
    net = factories.make_network(ctxt)

    def allocate(i):
        return networks.fixed_ip_allocate(factories.admin_context(),
                                          net['id'], _uuid(), '10.0.0.7')

    won, lost = race(allocate, 10)

    assert len(won) == 1
    assert all(isinstance(e, exception.FixedIpAlreadyInUse)
               for e in lost), lost
