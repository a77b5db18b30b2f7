"""Request ids: oslo.middleware's, plus the legacy compute header."""

from oslo_middleware import request_id

HEADER = 'x-openstack-request-id'
COMPAT_HEADER = 'x-compute-request-id'


class ComputeRequestId(request_id.RequestId):
    # Older novaclient releases read x-compute-request-id.
    compat_headers = [COMPAT_HEADER]
