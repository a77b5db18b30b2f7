"""``/v2``: the legacy-compatible prefix.

Old v2 clients send no version header and sometimes extra body keys; here
the version is pinned to 2.1, responses carry no version headers, and
unknown body keys are ignored instead of refused.
"""

from __future__ import annotations

from typing import Any

from nova.api import microversion

LEGACY_FLAG = 'nova.legacy_v2'


class LegacyV2Compatible:
    def __init__(self, application: Any) -> None:
        self.application = application

    @classmethod
    def factory(cls, global_config: dict, **local_config: Any) -> Any:
        return cls

    def __call__(self, environ: dict, start_response: Any) -> Any:
        environ['nova.api_version'] = microversion.MIN
        environ[LEGACY_FLAG] = True
        return self.application(environ, start_response)
