"""A Nova-style, OpenStack-Compute-compatible compute control plane."""

import warnings

from oslo_service import backend as _oslo_service_backend

# eventlet is installed for the legacy mode only; libraries (futurist,
# oslo.service) import it when present and it then warns about its own
# deprecation on every start, even in native-thread mode.
warnings.filterwarnings('ignore', message=r'(?s).*Eventlet is deprecated')

# oslo.messaging imports oslo.service, which picks its concurrency backend
# on first use and defaults to eventlet. Native threads are our default;
# nova.cmd selects eventlet explicitly when a daemon runs in legacy mode.
_oslo_service_backend.register_backend_default_hook(
    lambda: _oslo_service_backend.BackendType.THREADING)
