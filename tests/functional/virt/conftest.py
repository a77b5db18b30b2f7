"""Fixtures of the virt functional tests: those of tests/unit/virt, and a
libvirtd, the guest images and a libvirt driver for the real-QEMU tests
(tests/functional/virt/qemu.py)."""

from __future__ import annotations

import types
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import libvirt
import pytest

from nova.virt.libvirt.driver import LibvirtDriver
from tests.fixtures import guest_image
from tests.fixtures import libvirtd as libvirtd_fixture
from tests.functional.virt.qemu import QemuEnv
from tests.unit.virt import factories
from tests.unit.virt.conftest import flags  # noqa: F401
from tests.unit.virt.conftest import fresh_fake_hypervisors  # noqa: F401

TEST_URI = 'test:///default'
TEST_HOST = 'compute-1'


@pytest.fixture
def libvirt_test_env(tmp_path: Any,
                     flags: Callable[..., None]  # noqa: F811
                     ) -> Iterator[types.SimpleNamespace]:
    """A libvirt driver on test:///default (libvirt's in-process
    hypervisor; the disks are real): ``spawn(**instance_fields)``."""
    flags('libvirt', connection_uri=TEST_URI, virt_type='qemu',
          instances_path=str(tmp_path / 'instances'), shutdown_timeout=5)
    api = factories.DirImageAPI(str(tmp_path / 'images'))
    api.add('image-tiny', factories.make_disk_image(
        str(tmp_path / 'tiny.qcow2'), 'qcow2', '16M'))
    drv = LibvirtDriver(image_api=api)
    drv.init_host(TEST_HOST)
    events = factories.EventRecorder()
    drv.register_event_listener(events)
    raw = libvirt.open(TEST_URI)
    spawned = []

    def spawn(image_meta=None, network_info=(), **overrides):
        instance = factories.make_instance(**overrides)
        spawned.append(instance)
        drv.spawn(None, instance, image_meta or factories.make_image_meta(),
                  [], None, {}, list(network_info))
        return instance

    yield types.SimpleNamespace(driver=drv, api=api, events=events, raw=raw,
                                spawn=spawn, tmp=tmp_path)
    for instance in spawned:
        drv.destroy(None, instance, [])
    drv.cleanup_host(TEST_HOST)
    raw.close()


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
