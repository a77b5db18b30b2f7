"""Flavors (with extra specs and access) and key pairs."""

import pytest

from nova import exception
from nova.db.api import flavors
from nova.db.api import keypairs
from tests.fixtures import factories


def test_flavor_create_get_destroy(db, ctxt):
    flavor = factories.make_flavor(ctxt, extra_specs={'hw:cpu_policy': 'x'})

    assert flavors.flavor_get(ctxt, flavor['id']) == flavor
    assert flavors.flavor_get_by_name(ctxt, flavor['name']) == flavor
    assert flavor['extra_specs'] == {'hw:cpu_policy': 'x'}
    assert flavor['is_public'] is True and flavor['disabled'] is False
    flavors.flavor_destroy(ctxt, flavor['flavorid'])
    with pytest.raises(exception.FlavorNotFound):
        flavors.flavor_get_by_flavor_id(ctxt, flavor['flavorid'])


@pytest.mark.parametrize('field', ['name', 'flavorid'])
def test_duplicate_flavor_names_the_field(db, ctxt, field):
    flavor = factories.make_flavor(ctxt)

    with pytest.raises(exception.FlavorExists) as info:
        factories.make_flavor(ctxt, **{field: flavor[field]})

    assert info.value.kwargs['field'] == field


def test_flavor_listing_filters_and_access(db, ctxt):
    small = factories.make_flavor(ctxt, flavorid='1', memory_mb=512)
    big = factories.make_flavor(ctxt, flavorid='2', memory_mb=4096)
    private = factories.make_flavor(ctxt, flavorid='3', is_public=False,
                                    projects=('p1',))

    def ids(**filters):
        return [f['flavorid'] for f in flavors.flavor_get_all(ctxt, filters)]

    assert ids() == ['1', '2', '3']
    assert ids(min_memory_mb=1024) == ['2']
    assert ids(is_public=True) == ['1', '2']
    assert ids(is_public=False) == ['3']
    assert ids(project_id='p1') == ['1', '2', '3']
    assert ids(project_id='p2') == ['1', '2']
    paged = flavors.flavor_get_all(ctxt, limit=1, marker=small['flavorid'])
    assert [f['flavorid'] for f in paged] == [big['flavorid']]
    assert flavors.flavor_access_add(ctxt, '3', 'p2') == ['p1', 'p2']
    with pytest.raises(exception.FlavorAccessExists):
        flavors.flavor_access_add(ctxt, '3', 'p2')
    assert flavors.flavor_access_remove(ctxt, '3', 'p1') == ['p2']
    with pytest.raises(exception.FlavorAccessNotFound):
        flavors.flavor_access_remove(ctxt, '3', 'p1')
    assert flavors.flavor_access_get_by_flavor_id(
        ctxt, private['flavorid']) == ['p2']


def test_extra_specs_and_update(db, ctxt):
    flavor = factories.make_flavor(ctxt, extra_specs={'a': '1'})
    fid = flavor['flavorid']

    assert flavors.flavor_extra_specs_update_or_create(
        ctxt, fid, {'a': '2', 'b': '3'}) == {'a': '2', 'b': '3'}
    flavors.flavor_extra_spec_delete(ctxt, fid, 'a')
    assert flavors.flavor_extra_specs_get(ctxt, fid) == {'b': '3'}
    with pytest.raises(exception.FlavorExtraSpecNotFound):
        flavors.flavor_extra_spec_delete(ctxt, fid, 'a')
    assert flavors.flavor_update(
        ctxt, fid, {'description': 'd'})['description'] == 'd'
    with pytest.raises(exception.Invalid):
        flavors.flavor_update(ctxt, fid, {'vcpus': 64})


def test_keypairs(db, ctxt):
    first = factories.make_keypair(ctxt, name='a')
    factories.make_keypair(ctxt, name='b', type='x509')
    factories.make_keypair(ctxt, name='a', user_id='other')

    assert keypairs.key_pair_get(ctxt, factories.USER_ID, 'a') == first
    with pytest.raises(exception.KeyPairExists):
        factories.make_keypair(ctxt, name='a')
    assert keypairs.key_pair_count_by_user(ctxt, factories.USER_ID) == 2
    listed = keypairs.key_pair_get_all_by_user(ctxt, factories.USER_ID,
                                               marker='a')
    assert [(k['name'], k['type']) for k in listed] == [('b', 'x509')]
    keypairs.key_pair_destroy(ctxt, factories.USER_ID, 'a')
    with pytest.raises(exception.KeypairNotFound):
        keypairs.key_pair_destroy(ctxt, factories.USER_ID, 'a')
