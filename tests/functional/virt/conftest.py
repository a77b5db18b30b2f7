"""Fixtures of the virt functional tests: those of tests/unit/virt, and a
libvirtd, the guest images and a libvirt driver for the real-QEMU tests
(tests/functional/virt/qemu.py)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures import guest_image
from tests.fixtures import libvirtd as libvirtd_fixture
from tests.functional.virt.qemu import QemuEnv
from tests.unit.virt.conftest import flags  # noqa: F401
from tests.unit.virt.conftest import fresh_fake_hypervisors  # noqa: F401


@pytest.fixture(scope='session')
def libvirt_daemon() -> Iterator[libvirtd_fixture.Libvirtd]:
    with libvirtd_fixture.libvirtd() as daemon:
        yield daemon


@pytest.fixture(scope='session')
def guest_images() -> guest_image.GuestImages:
    return guest_image.guest_images()


@pytest.fixture
def qemu(tmp_path: Any, flags: Callable[..., None],  # noqa: F811
         libvirt_daemon: libvirtd_fixture.Libvirtd,
         guest_images: guest_image.GuestImages) -> Iterator[QemuEnv]:
    flags(compute_driver='libvirt')
    flags('libvirt', connection_uri=libvirt_daemon.uri, virt_type='qemu',
          instances_path=str(tmp_path / 'instances'), shutdown_timeout=3)
    env = QemuEnv(libvirt_daemon.uri, tmp_path, guest_images)
    yield env
    env.close()
