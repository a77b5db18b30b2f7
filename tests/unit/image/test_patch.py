"""JSON patch of an image's writable document (nova.image.endpoint.patch).
"""

from __future__ import annotations

from typing import Any

import pytest

from nova import exception
from nova.image.endpoint import patch

DOC = {'name': 'old', 'visibility': 'shared', 'min_ram': 0,
       'tags': ['a'], 'os_distro': 'debian'}


def test_add_replace_remove() -> None:
    result = patch.apply(DOC, [
        {'op': 'add', 'path': '/hw_disk_bus', 'value': 'virtio'},
        {'op': 'add', 'path': '/os_distro', 'value': 'cirros'},
        {'op': 'replace', 'path': '/name', 'value': 'new'},
        {'op': 'replace', 'path': '/min_disk', 'value': 1},
        {'op': 'remove', 'path': '/hw_disk_bus'},
    ])
    assert result == {**DOC, 'name': 'new', 'os_distro': 'cirros',
                      'min_disk': 1}
    assert DOC['name'] == 'old'  # the input is left alone


def test_json_pointer_escapes() -> None:
    result = patch.apply({}, [
        {'op': 'add', 'path': '/a~1b~0c', 'value': 'x'}])
    assert result == {'a/b~c': 'x'}


@pytest.mark.parametrize('changes,error', [
    ('not a list', exception.Invalid),
    (['not an object'], exception.Invalid),
    ([{'op': 'test', 'path': '/name', 'value': 'x'}], exception.Invalid),
    ([{'op': 'add', 'path': 'name', 'value': 'x'}], exception.Invalid),
    ([{'op': 'add', 'path': '/', 'value': 'x'}], exception.Invalid),
    ([{'op': 'add', 'path': '/tags/0', 'value': 'x'}], exception.Invalid),
    ([{'op': 'add', 'path': '/name'}], exception.Invalid),
    ([{'op': 'add', 'path': '/status', 'value': 'x'}],
     exception.Forbidden),
    ([{'op': 'add', 'path': '/id', 'value': 'x'}], exception.Forbidden),
    ([{'op': 'remove', 'path': '/checksum'}], exception.Forbidden),
    ([{'op': 'remove', 'path': '/visibility'}], exception.Forbidden),
    ([{'op': 'replace', 'path': '/missing', 'value': 'x'}],
     patch.PropertyMissing),
    ([{'op': 'remove', 'path': '/missing'}], patch.PropertyMissing),
])
def test_refusals(changes: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        patch.apply(DOC, changes)


def test_replace_of_unset_base_attribute_is_allowed() -> None:
    # Base attributes always exist, even when the document omits them.
    assert patch.apply({}, [{'op': 'replace', 'path': '/disk_format',
                             'value': 'raw'}]) == {'disk_format': 'raw'}
