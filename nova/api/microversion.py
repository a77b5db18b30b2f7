"""Compute API microversions: the one list, parsing and negotiation.

Every version from MIN to MAX is honoured by every resource we serve; a
handler that behaves differently from some version on compares the
request's version with one of the named constants below, never with a
literal. doc/source/microversions.rst describes each change in full.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from nova import exception
from nova.i18n import _

SERVICE_TYPE = 'compute'
HEADER = 'OpenStack-API-Version'
LEGACY_HEADER = 'X-OpenStack-Nova-API-Version'


class APIVersion(NamedTuple):
    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> APIVersion:
        match = re.fullmatch(r'([1-9]\d*)\.([1-9]\d*|0)', text.strip())
        if not match:
            raise exception.Invalid(
                reason=_('API Version String %s is of invalid format. '
                         'Must be of format MajorNum.MinorNum, or '
                         '"latest".') % text)
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f'{self.major}.{self.minor}'

    def matches(self, min_version: str | None = None,
                max_version: str | None = None) -> bool:
        low = parse(min_version) if min_version else MIN
        high = parse(max_version) if max_version else MAX
        return low <= self <= high


@functools.cache
def parse(text: str) -> APIVersion:
    return APIVersion.parse(text)


# (version, what changed). One line each; the constants below name the
# ones that handlers test.
VERSIONS: list[tuple[str, str]] = [
    ('2.1', 'initial v2.1 API with strict input validation'),
    ('2.2', 'keypair type; keypair create 201, delete 204'),
    ('2.3', 'more extended server attributes for admins'),
    ('2.4', 'reserved status of fixed IPs (nova-network only)'),
    ('2.5', 'ip6 server list filter for everyone'),
    ('2.6', 'remote-consoles API'),
    ('2.7', 'flavor access on public flavor is a conflict'),
    ('2.8', 'mks remote console'),
    ('2.9', 'locked in server details'),
    ('2.10', 'keypair user_id for admins'),
    ('2.11', 'service forced_down'),
    ('2.12', 'vif net_id (nova-network only)'),
    ('2.13', 'server group project_id and user_id'),
    ('2.14', 'evacuate without onSharedStorage, no adminPass echo'),
    ('2.15', 'soft-affinity and soft-anti-affinity server groups'),
    ('2.16', 'host_status in server details'),
    ('2.17', 'trigger_crash_dump server action'),
    ('2.18', 'project id optional in URLs'),
    ('2.19', 'server description'),
    ('2.20', 'volume operations on shelved servers (no volumes here)'),
    ('2.21', 'instance actions of deleted servers'),
    ('2.22', 'force-complete of a live migration'),
    ('2.23', 'migration ids and types in migration lists'),
    ('2.24', 'abort of a live migration'),
    ('2.25', 'live migration block_migration auto'),
    ('2.26', 'server tags'),
    ('2.27', 'OpenStack-API-Version header'),
    ('2.28', 'hypervisor cpu_info as an object'),
    ('2.29', 'evacuate force'),
    ('2.30', 'live migration force'),
    ('2.31', 'console auth tokens for all console types'),
    ('2.32', 'device tags on create (network/volume)'),
    ('2.33', 'hypervisor list paging'),
    ('2.34', 'asynchronous live migration pre-checks'),
    ('2.35', 'keypair list paging'),
    ('2.36', 'proxy APIs removed; network quotas and limits dropped'),
    ('2.37', 'networks auto/none required on server create'),
    ('2.38', 'invalid status filter is a 400'),
    ('2.39', 'image metadata proxy and maxImageMeta removed'),
    ('2.40', 'simple tenant usage paging'),
    ('2.41', 'aggregate uuid'),
    ('2.42', 'device tags restored'),
    ('2.43', 'os-hosts removed'),
    ('2.44', 'network action proxies removed'),
    ('2.45', 'createImage/createBackup return image_id in the body'),
    ('2.46', 'X-OpenStack-Request-ID alongside X-Compute-Request-ID'),
    ('2.47', 'flavor details inside the server'),
    ('2.48', 'standard server diagnostics'),
    ('2.49', 'volume attach tags'),
    ('2.50', 'quota classes show server group quotas'),
    ('2.51', 'volume-extended external event'),
    ('2.52', 'tags on server create'),
    ('2.53', 'service and hypervisor UUIDs in URLs and bodies'),
    ('2.54', 'rebuild with key_name'),
    ('2.55', 'flavor description'),
    ('2.56', 'cold migrate to a host'),
    ('2.57', 'rebuild with user_data; personality removed'),
    ('2.58', 'instance action paging and changes-since'),
    ('2.59', 'migration paging and changes-since'),
    ('2.60', 'multiattach volumes (no volumes here)'),
    ('2.61', 'flavor extra_specs in flavor bodies'),
    ('2.62', 'host and hostId in instance action events'),
    ('2.63', 'trusted_image_certificates on create and in server bodies'),
    ('2.64', 'server group policy and rules'),
    ('2.65', 'abort of queued/preparing live migrations'),
    ('2.66', 'changes-before filter'),
    ('2.67', 'volume_type in block devices (no volumes here)'),
    ('2.68', 'force removed from evacuate and live migrate'),
    ('2.69', 'partial results of down cells (one cell here)'),
    ('2.70', 'device tags of volumes and ports (not served)'),
    ('2.71', 'server_groups in server show and update'),
    ('2.72', 'ports with resource requests (no Neutron here)'),
    ('2.73', 'lock reason; locked filter and sort key'),
    ('2.74', 'host and hypervisor_hostname on create'),
    ('2.75', 'strict server list queries, full update body, swap 0'),
    ('2.76', 'power-update external event (not served)'),
    ('2.77', 'unshelve to an availability zone'),
    ('2.78', 'server topology'),
    ('2.79', 'delete_on_termination of volume attachments (not served)'),
    ('2.80', 'migration user_id and project_id'),
    ('2.81', 'image pre-caching on aggregates'),
    ('2.82', 'accelerator-request-bound external event (not served)'),
    ('2.83', 'more server list filters for non-admins'),
    ('2.84', 'instance action event details'),
    ('2.85', 'update delete_on_termination of volumes (not served)'),
    ('2.86', 'flavor extra spec validation'),
    ('2.87', 'rescue of volume-backed servers (none here)'),
    ('2.88', 'hypervisor statistics and usage fields removed'),
    ('2.89', 'volume attachment ids (not served)'),
    ('2.90', 'server hostname on create and update, shown to all'),
    ('2.91', 'unshelve to a host; unpin the availability zone'),
    ('2.92', 'keypair import only; public_key required'),
    ('2.93', 'rebuild of volume-backed servers (none here)'),
    ('2.94', 'FQDN hostnames'),
    ('2.95', 'evacuated servers end stopped'),
    ('2.96', 'pinned_availability_zone in server bodies'),
    ('2.97', 'server shares (not served)'),
    ('2.98', 'image properties in server bodies'),
    ('2.99', 'spice-direct consoles (not served)'),
    ('2.100', 'scheduler_hints in server bodies'),
]

MIN = parse(VERSIONS[0][0])
MAX = parse(VERSIONS[-1][0])
DEFAULT = MIN

# Named gates used by handlers.
KEYPAIR_TYPE = '2.2'
EXTENDED_SERVER_ATTRS = '2.3'
IP6_FILTER = '2.5'
REMOTE_CONSOLES = '2.6'
FLAVOR_ACCESS_PUBLIC_CONFLICT = '2.7'
SERVER_LOCKED = '2.9'
KEYPAIR_USER_ID = '2.10'
SERVICE_FORCED_DOWN = '2.11'
SERVER_GROUP_OWNER = '2.13'
EVACUATE_NO_SHARED_STORAGE = '2.14'
SOFT_AFFINITY = '2.15'
HOST_STATUS = '2.16'
CRASH_DUMP = '2.17'
SERVER_DESCRIPTION = '2.19'
DELETED_INSTANCE_ACTIONS = '2.21'
LIVE_MIGRATION_FORCE_COMPLETE = '2.22'
MIGRATION_IDS = '2.23'
LIVE_MIGRATION_ABORT = '2.24'
SERVER_TAGS = '2.26'
HYPERVISOR_CPU_INFO_DICT = '2.28'
HYPERVISOR_PAGING = '2.33'
KEYPAIR_PAGING = '2.35'
PROXY_APIS_REMOVED = '2.36'
NETWORKS_REQUIRED = '2.37'
INVALID_STATUS_400 = '2.38'
IMAGE_META_LIMIT_REMOVED = '2.39'
USAGE_PAGING = '2.40'
AGGREGATE_UUID = '2.41'
OS_HOSTS_REMOVED = '2.43'
IMAGE_ID_IN_BODY = '2.45'
FLAVOR_IN_SERVER = '2.47'
QUOTA_CLASS_SERVER_GROUPS = '2.50'
INSTANCE_ACTION_EVENTS = '2.51'
TAGS_ON_CREATE = '2.52'
SERVICE_UUIDS = '2.53'
REBUILD_KEY_NAME = '2.54'
FLAVOR_DESCRIPTION = '2.55'
MIGRATE_HOST = '2.56'
REBUILD_USER_DATA = '2.57'
INSTANCE_ACTION_PAGING = '2.58'
MIGRATION_PAGING = '2.59'
FLAVOR_EXTRA_SPECS = '2.61'
ACTION_EVENT_HOST = '2.62'
TRUSTED_CERTS = '2.63'
SERVER_GROUP_POLICY = '2.64'
ABORT_QUEUED_LIVE_MIGRATION = '2.65'
CHANGES_BEFORE = '2.66'
SERVER_GROUPS_IN_SERVER = '2.71'
CREATE_ON_HOST = '2.74'
SERVER_LIST_STRICT_QUERY = '2.75'
FULL_UPDATE_RESPONSE = '2.75'
FLAVOR_SWAP_INT = '2.75'
HYPERVISOR_SERVERS_ALWAYS = '2.75'
SERVER_TOPOLOGY = '2.78'
MIGRATION_OWNER = '2.80'
AGGREGATE_IMAGE_CACHE = '2.81'
READER_FILTERS = '2.83'
ACTION_EVENT_DETAILS = '2.84'
EXTRA_SPEC_VALIDATION = '2.86'
HYPERVISOR_NO_STATISTICS = '2.88'
SERVER_HOSTNAME = '2.90'
KEYPAIR_IMPORT_ONLY = '2.92'
FQDN_HOSTNAME = '2.94'
PINNED_AZ = '2.96'
IMAGE_PROPERTIES = '2.98'
SCHEDULER_HINTS_IN_SERVER = '2.100'
# Server actions (nova/api/controllers/server_actions.py).
LOCK_REASON = '2.73'
UNSHELVE_AZ = '2.77'
UNSHELVE_HOST = '2.91'
EVACUATE_STOPPED = '2.95'
LIVE_MIGRATE_AUTO = '2.25'
EVACUATE_FORCE = '2.29'
LIVE_MIGRATE_FORCE = '2.30'
MOVE_FORCE_REMOVED = '2.68'
CONSOLE_TOKENS_ALL_TYPES = '2.31'


def from_headers(headers: dict[str, str] | object) -> APIVersion:
    """Negotiate the version of one request.

    ``OpenStack-API-Version: compute X.Y`` wins over the legacy
    ``X-OpenStack-Nova-API-Version: X.Y``; no header means MIN; "latest"
    means MAX; anything outside [MIN, MAX] is NotAcceptable (406).
    """
    text = _requested(headers)
    if text is None:
        return DEFAULT
    if text.lower() == 'latest':
        return MAX
    version = parse(text)
    if not MIN <= version <= MAX:
        raise exception.NotAcceptable(
            reason=_('Version %(ver)s is not supported by the API. Minimum '
                     'is %(min)s and maximum is %(max)s.')
            % {'ver': text, 'min': MIN, 'max': MAX})
    return version


def _requested(headers) -> str | None:
    value = headers.get(HEADER)
    if value:
        for part in value.split(','):
            words = part.strip().split()
            if len(words) == 2 and words[0].lower() == SERVICE_TYPE:
                return words[1]
    legacy = headers.get(LEGACY_HEADER)
    return legacy.strip() if legacy else None


def response_headers(version: APIVersion) -> dict[str, str]:
    """Headers every versioned response carries."""
    return {
        HEADER: f'{SERVICE_TYPE} {version}',
        LEGACY_HEADER: str(version),
        'Vary': f'{HEADER}, {LEGACY_HEADER}',
    }
