"""Executables. Importing this package picks the concurrency mode.

Native threads are the default. ``NOVA_CONCURRENCY_MODE=eventlet`` selects
the legacy green-thread mode; eventlet must patch the standard library
before anything else is imported, which is why the choice is an
environment variable read here and not a configuration option.
"""

import os

MODE = os.environ.get('NOVA_CONCURRENCY_MODE', 'threading').strip().lower()

if MODE == 'eventlet':
    import eventlet

    eventlet.monkey_patch()

    from oslo_service import backend

    backend.init_backend(backend.BackendType.EVENTLET)
elif MODE != 'threading':
    raise SystemExit(f'NOVA_CONCURRENCY_MODE must be "threading" or '
                     f'"eventlet", not {MODE!r}')
