"""The libvirt driver against libvirtd and real QEMU guests: what the test
modules share (the ``qemu`` fixture in conftest.py builds a ``QemuEnv``).

The guest (tests/fixtures/guest_image.py) prints, on every boot, the
disks it sees (``NOVA-GUEST-DISKS vda=NOVA-ACPI vdb=-``: device and FAT
label) and then ``NOVA-GUEST-MARKER <domain uuid> acpi=on|off``; so the
console log says how many times a guest booted and from what.

The driver is loaded and called the way nova/compute/manager.py does:
``load_compute_driver`` by name, ``init_host``, then the contract's
methods. The image service is a directory-backed test double
(tests/unit/virt/factories.DirImageAPI): the image service is not what
these tests are about. A raw libvirt connection plays the operator acting
behind the driver's back.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import libvirt

from nova.virt import driver as virt_driver
from tests.fixtures import guest_image
from tests.fixtures.guest_image import Boot
from tests.fixtures.guest_image import parse_boots
from tests.unit.virt import factories

BOOT_TIMEOUT = 120  # seconds; TCG on a busy 2-core machine is slow
MARKER = guest_image.MARKER
DISKS = guest_image.DISKS
PASSWORD = guest_image.PASSWORD
POWER_BUTTON = 'NOVA-GUEST-POWER-BUTTON'
HOST = 'compute-1'


def wait_until(predicate: Callable[[], Any], what: str,
               timeout: float = BOOT_TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f'{what}: not within {timeout}s')
        time.sleep(0.2)


def qemu_img_info(path: str) -> dict[str, Any]:
    out = subprocess.run(['qemu-img', 'info', '-U', '--output=json', path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


class QemuEnv:
    """A libvirt driver on qemu:///system, its images and its guests."""

    def __init__(self, uri: str, tmp: pathlib.Path,
                 images: guest_image.GuestImages) -> None:
        self.tmp = tmp
        self.api = factories.DirImageAPI(str(tmp / 'images'))
        self.api.add('image-acpi', images.acpi)
        self.api.add('image-deaf', images.deaf)
        self.events = factories.EventRecorder()
        self._drivers: list[Any] = []
        self.driver = self.new_driver()
        self.raw = libvirt.open(uri)
        self._spawned: list[Any] = []

    def new_driver(self) -> Any:
        """A driver as a (re)started nova-compute makes it."""
        drv = virt_driver.load_compute_driver(image_api=self.api)
        drv.init_host(HOST)
        drv.register_event_listener(self.events)
        self._drivers.append(drv)
        return drv

    def close(self) -> None:
        for instance in self._spawned:
            self.driver.destroy(None, instance, [])
        for drv in self._drivers:
            drv.cleanup_host(HOST)
        self.raw.close()

    def instance(self, image_id: str = 'image-acpi', **overrides: Any) -> Any:
        """An instance this env destroys at the end, not spawned yet."""
        instance = factories.make_instance(image_ref=image_id, **overrides)
        # Domain names are global to the daemon: make ours unmistakable.
        instance.name = f'nova-test-{instance.uuid}'
        self._spawned.append(instance)
        return instance

    def spawn(self, image_id: str = 'image-acpi', **overrides: Any) -> Any:
        instance = self.instance(image_id, **overrides)
        self.driver.spawn(None, instance, self.image(image_id), [], None,
                          {}, [])
        return instance

    @staticmethod
    def image(image_id: str, **overrides: Any) -> dict[str, Any]:
        return factories.make_image_meta(id=image_id, **overrides)

    # -- what the guest says -----------------------------------------------
    def console(self, instance: Any) -> str:
        return self.driver.get_console_output(None, instance)

    def markers(self, instance: Any) -> list[str]:
        return [line.strip() for line in self.console(instance).splitlines()
                if line.startswith(MARKER)]

    def wait_for_boots(self, instance: Any, count: int = 1) -> list[str]:
        """Wait until the guest has printed its marker ``count`` times."""
        wait_until(lambda: len(self.markers(instance)) >= count,
                   f'boot {count} of {instance.uuid} to print its marker')
        return self.markers(instance)

    def wait_for_boot(self, instance: Any, count: int) -> Boot:
        """Boot number ``count`` (from 1), once the guest printed it."""
        self.wait_for_boots(instance, count)
        return parse_boots(self.console(instance))[count - 1]

    # -- what the host has -------------------------------------------------
    def state(self, instance: Any) -> int:
        return self.driver.get_info(instance).state

    def instance_dir(self, instance: Any) -> str:
        return self.driver.instance_dir(instance.uuid)

    def files(self, instance: Any) -> set[str]:
        return set(os.listdir(self.instance_dir(instance)))

    def domain_disks(self, instance: Any) -> list[tuple[str, str]]:
        """(target dev, source file) of the domain's disks, as defined."""
        domain = ET.fromstring(self.raw.lookupByUUIDString(instance.uuid)
                               .XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        return [(d.find('target').get('dev'), d.find('source').get('file'))
                for d in domain.iterfind('devices/disk')]

    def base_of(self, image_id: str) -> str:
        """The image cache's file of ``image_id``."""
        return self.driver.image_cache().path_for(image_id)
