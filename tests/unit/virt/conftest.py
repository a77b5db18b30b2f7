"""Fixtures of the virt tests (also imported by tests/functional/virt)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg

from nova.virt.fake import hypervisor as fake_hypervisor
from tests.fixtures.conf import prepare_conf

requires_qemu_img = pytest.mark.skipif(
    shutil.which('qemu-img') is None,
    reason='qemu-img is missing: apt-get install -y qemu-utils')


@pytest.fixture
def flags() -> Iterator[Callable[..., None]]:
    """``flags(group, name=value, ...)``: option overrides for one test."""
    conf: cfg.ConfigOpts = prepare_conf()
    overridden: list[tuple[str, str | None]] = []

    def set_flags(group: str | None = None, **values: Any) -> None:
        for name, value in values.items():
            conf.set_override(name, value, group)
            overridden.append((name, group))

    yield set_flags
    for name, group in reversed(overridden):
        conf.clear_override(name, group)


@pytest.fixture(autouse=True)
def fresh_fake_hypervisors() -> Iterator[None]:
    """Each test starts with no fake host, as a new process would."""
    prepare_conf()
    fake_hypervisor.reset()
    yield
    fake_hypervisor.reset()
