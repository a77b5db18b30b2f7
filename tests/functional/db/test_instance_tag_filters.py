"""The tag filters of instance_get_all_by_filters (EXISTS subqueries)."""

from nova.db.api import instances
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
