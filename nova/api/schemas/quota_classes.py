"""Request schemas of os-quota-class-sets (key sets change at 2.50 and
2.57)."""

from nova.api.schemas import quota_sets

_BEFORE_250 = ('instances', 'cores', 'ram', 'metadata_items', 'key_pairs')


def keys_for(version_250: bool, version_257: bool) -> tuple[str, ...]:
    if version_257:
        return quota_sets.BASE_KEYS
    if version_250:
        return quota_sets.BASE_KEYS + quota_sets.FILE_KEYS
    return _BEFORE_250 + quota_sets.FILE_KEYS + quota_sets.NETWORK_KEYS


_KEY = 'quota_class_set'
update = quota_sets.update_schema(keys_for(False, False), _KEY, force=False)
update_v250 = quota_sets.update_schema(keys_for(True, False), _KEY,
                                       force=False)
update_v257 = quota_sets.update_schema(keys_for(True, True), _KEY,
                                       force=False)
