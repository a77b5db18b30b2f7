"""ImagePropertiesFilter: the host can run the image.

Checks the image properties ``hw_architecture`` (or ``architecture``)
against the node's CPU architecture (``cpu_info['arch']``),
``img_hv_type`` (or ``hypervisor_type``) against its hypervisor type and
``img_hv_requested_version`` (e.g. ``>=6000``) against its hypervisor
version. A node that does not report a value is given the benefit of
the doubt: the compute build would fail and reschedule if it cannot.
"""

import re

from nova.scheduler import filters
from nova.scheduler import spec_ops
from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

_KEYS = ('hw_architecture', 'architecture', 'img_hv_type',
         'hypervisor_type', 'img_hv_requested_version')


def _norm(value: object) -> str:
    return str(value).strip().lower()


class ImagePropertiesFilter(filters.BaseHostFilter):
    def relevant(self, request: Request) -> bool:
        return any(key in request.image_props for key in _KEYS)

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        props = request.image_props
        arch = props.get('hw_architecture') or props.get('architecture')
        host_arch = host_state.cpu_info.get('arch')
        if arch and host_arch and _norm(arch) != _norm(host_arch):
            return False
        hv_type = props.get('img_hv_type') or props.get('hypervisor_type')
        if (hv_type and host_state.hypervisor_type
                and _norm(hv_type) != _norm(host_state.hypervisor_type)):
            return False
        version = props.get('img_hv_requested_version')
        if version and host_state.hypervisor_version is not None:
            # Images write '>=6000'; spec_ops wants '>= 6000'.
            requirement = re.sub(r'^\s*([<>=!]+)\s*', r'\1 ', str(version))
            return spec_ops.match(host_state.hypervisor_version,
                                  requirement)
        return True
