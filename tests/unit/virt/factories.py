"""Simple, real implementations of what the virt drivers receive.

The compute manager will pass its own objects; these follow the shapes in
nova.virt.contract and nothing more, so a driver that relies on anything
else fails here first. Shared by tests/unit/virt and tests/functional/virt.
"""

from __future__ import annotations

import collections
import itertools
import os
import shutil
import subprocess
import threading
import types
from typing import Any

from oslo_utils import uuidutils

from nova import exception
from nova.virt.event import LifecycleEvent
from nova.virt.event import Transition

_serial = itertools.count(1)


def make_flavor(**overrides: Any) -> dict[str, Any]:
    flavor = {'name': 'm1.tiny', 'vcpus': 1, 'memory_mb': 256, 'root_gb': 1,
              'ephemeral_gb': 0, 'swap': 0, 'extra_specs': {}}
    flavor.update(overrides)
    return flavor


def make_instance(**overrides: Any) -> types.SimpleNamespace:
    """An instance with the attributes of the driver contract.

    Sizes default to the flavor's (``flavor=make_flavor(vcpus=2)``).
    """
    n = next(_serial)
    flavor = overrides.pop('flavor', None) or make_flavor()
    values = {
        'uuid': uuidutils.generate_uuid(),
        'name': f'instance-{n:08x}',
        'display_name': f'server-{n}',
        'hostname': f'server-{n}',
        'host': 'compute-1',
        'node': None,
        'image_ref': 'image-tiny',
        'flavor': flavor,
        'metadata': {},
        'user_data': None,
        'key_data': None,
        'project_id': 'project-a',
        'user_id': 'user-a',
    }
    for key in ('vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb', 'swap'):
        values[key] = flavor[key]
    values.update(overrides)
    return types.SimpleNamespace(**values)


def make_image_meta(**overrides: Any) -> dict[str, Any]:
    properties = overrides.pop('properties', {})
    meta = {'id': 'image-tiny', 'name': 'tiny', 'disk_format': 'qcow2',
            'container_format': 'bare', 'size': 0, 'checksum': None,
            'properties': properties}
    meta.update(overrides)
    return meta


def make_network_info(bridge: str | None = 'br-test',
                      count: int = 1) -> list[dict[str, Any]]:
    vifs = []
    for i in range(count):
        vif_id = uuidutils.generate_uuid()
        vifs.append({
            'id': vif_id,
            'address': f'fa:16:3e:00:00:{i + 1:02x}',
            'network': {
                'id': f'net-{i}', 'label': f'private-{i}', 'bridge': bridge,
                'subnets': [{'cidr': '10.0.0.0/24', 'gateway': '10.0.0.1',
                             'ips': [{'address': f'10.0.0.{i + 10}'}]}]},
        })
    return vifs


def make_disk_image(path: str, fmt: str = 'qcow2',
                    size: str = '16M') -> str:
    """A real (blank) disk image made by qemu-img."""
    subprocess.run(['qemu-img', 'create', '-q', '-f', fmt, path, size],
                   check=True)
    return path


class DirImageAPI:
    """The image API of the contract, over a directory of files."""

    def __init__(self, root: str) -> None:
        self.root = root
        os.makedirs(root, exist_ok=True)
        self.downloads: collections.Counter[str] = collections.Counter()
        self.uploads: dict[str, str] = {}  # image id -> disk format
        self._lock = threading.Lock()

    def path(self, image_id: str) -> str:
        return os.path.join(self.root, image_id)

    def add(self, image_id: str, src_path: str) -> None:
        shutil.copyfile(src_path, self.path(image_id))

    def download(self, context: Any, image_id: str, dst_path: str) -> None:
        if not os.path.exists(self.path(image_id)):
            raise exception.ImageNotFound(image_id=image_id)
        with self._lock:
            self.downloads[image_id] += 1
        shutil.copyfile(self.path(image_id), dst_path)

    def upload(self, context: Any, image_id: str, src_path: str,
               disk_format: str) -> None:
        shutil.copyfile(src_path, self.path(image_id))
        self.uploads[image_id] = disk_format


class TaskStateRecorder:
    """An ``update_task_state`` that remembers its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def __call__(self, task_state: str,
                 expected_state: str | None = None) -> None:
        self.calls.append((task_state, expected_state))


class EventRecorder:
    """A lifecycle event listener that tests can wait on (no sleeps)."""

    def __init__(self) -> None:
        self.events: list[LifecycleEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: LifecycleEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def transitions(self, uuid: str) -> list[Transition]:
        with self._cond:
            return [e.transition for e in self.events
                    if e.instance_uuid == uuid]

    def wait_for(self, uuid: str, transition: Transition,
                 timeout: float = 10.0) -> LifecycleEvent:
        def found() -> LifecycleEvent | None:
            return next((e for e in self.events if e.instance_uuid == uuid
                         and e.transition == transition), None)
        with self._cond:
            if not self._cond.wait_for(found, timeout):
                raise AssertionError(
                    f'no {transition.value} event for {uuid} within '
                    f'{timeout}s; got {self.transitions_unlocked(uuid)}')
            return found()  # type: ignore[return-value]

    def transitions_unlocked(self, uuid: str) -> list[str]:
        return [e.transition.value for e in self.events
                if e.instance_uuid == uuid]

    def clear(self) -> None:
        with self._cond:
            self.events.clear()
