"""Fixtures of the virt functional tests: those of tests/unit/virt."""

from tests.unit.virt.conftest import flags  # noqa: F401
from tests.unit.virt.conftest import fresh_fake_hypervisors  # noqa: F401
