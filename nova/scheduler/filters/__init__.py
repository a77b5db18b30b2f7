"""Host filters: one small class per module, loaded by entry-point name.

A filter answers one question about one host for one request:
``host_passes(host_state, request) -> bool``. ``relevant(request)``
says whether the request asks anything of this filter at all; when it
does not (no hint, no group, no extra spec...), the filter is skipped
for the whole request, which is what keeps 10,000 hosts cheap.
"""

from __future__ import annotations

from collections.abc import Iterable

from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request


class BaseHostFilter:
    """Subclasses implement ``host_passes``; may override ``relevant``."""

    @property
    def name(self) -> str:
        return type(self).__name__

    def relevant(self, request: Request) -> bool:
        return True

    def host_passes(self, host_state: HostState, request: Request) -> bool:
        raise NotImplementedError

    def filter_all(self, hosts: Iterable[HostState], request: Request
                   ) -> list[HostState]:
        passes = self.host_passes
        return [host for host in hosts if passes(host, request)]
