"""The tag and address filters of instance_get_all_by_filters (EXISTS
subqueries)."""

from nova.db.api import instances
from nova.db.api import networks
from nova.db.api import tags
from tests.fixtures import factories


def _names(ctxt, filters):
    return sorted(i['display_name']
                  for i in instances.instance_get_all_by_filters(ctxt,
                                                                 filters))


def test_tag_filters(db, ctxt):
    for name, its_tags in (('ab', ['a', 'b']), ('a', ['a']),
                           ('c', ['c']), ('none', [])):
        instance = factories.make_instance(ctxt, display_name=name)
        tags.instance_tags_set(ctxt, instance['uuid'], its_tags)

    assert _names(ctxt, {'tags': ['a']}) == ['a', 'ab']
    assert _names(ctxt, {'tags': ['a', 'b']}) == ['ab']
    assert _names(ctxt, {'tags': ['a', 'c']}) == []
    assert _names(ctxt, {'tags-any': ['b', 'c']}) == ['ab', 'c']
    assert _names(ctxt, {'not-tags': ['a', 'b']}) == ['a', 'c', 'none']
    assert _names(ctxt, {'not-tags-any': ['a', 'b']}) == ['c', 'none']
    assert _names(ctxt, {'tags': ['a'], 'not-tags-any': ['b']}) == ['a']
    # An empty list filters nothing, and other filters still apply.
    assert _names(ctxt, {'tags': []}) == ['a', 'ab', 'c', 'none']
    assert _names(ctxt, {'tags-any': ['a'],
                         'display_name': 'ab'}) == ['ab']


def test_ip_filters(db, ctxt):
    net4 = factories.make_network(ctxt, cidr='10.1.0.0/24',
                                  gateway='10.1.0.1')
    net6 = factories.make_network(ctxt, cidr='fd00::/64', gateway='fd00::1')
    for name, net, address in (('v4-a', net4, '10.1.0.10'),
                               ('v4-b', net4, '10.1.0.20'),
                               ('v6', net6, 'fd00::30')):
        instance = factories.make_instance(ctxt, display_name=name)
        networks.fixed_ip_allocate(ctxt, net['id'], instance['uuid'],
                                   address=address)
    factories.make_instance(ctxt, display_name='none')

    assert _names(ctxt, {'ip_regex': r'10\.1\.0\.1'}) == ['v4-a']
    assert _names(ctxt, {'ip_regex': '10.1.0'}) == ['v4-a', 'v4-b']
    assert _names(ctxt, {'ip_regex': '^99'}) == []
    # ip matches IPv4 only, ip6 IPv6 only.
    assert _names(ctxt, {'ip_regex': '30'}) == []
    assert _names(ctxt, {'ip6_regex': 'fd00::3'}) == ['v6']
    assert _names(ctxt, {'ip6_regex': '10'}) == []
