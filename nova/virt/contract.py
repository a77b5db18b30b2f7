"""The shapes of what a ``ComputeDriver`` receives and returns.

The compute manager owns the objects; drivers only read them. Drivers rely
on nothing beyond what is written here, so the manager may pass its own
classes, plain namespaces in tests, or dicts where a dict is named.

``instance`` (any object with these attributes)
    ``uuid``; ``name`` (hypervisor-side name, e.g. ``instance-0000002a``,
    unique per host); ``display_name``; ``hostname``; ``host`` and ``node``
    (where the manager placed it; ``node`` is one of
    ``get_available_nodes()``); ``vcpus``, ``memory_mb`` (MiB), ``root_gb``,
    ``ephemeral_gb`` (GiB), ``swap`` (MiB); ``image_ref``; ``flavor`` (an
    object or a dict with ``name``, ``vcpus``, ``memory_mb``, ``root_gb``,
    ``ephemeral_gb``, ``swap``, ``extra_specs``: dict); ``metadata`` (dict);
    ``user_data`` (base64 str or None); ``key_data`` (public key or None);
    ``project_id``; ``user_id``. The sizes on the instance are the ones to
    honour; ``flavor`` is informative (names, extra specs).

``image_meta`` (dict)
    ``id``, ``name``, ``disk_format`` (``raw``, ``qcow2``...),
    ``container_format`` (``bare``), ``size`` (bytes), ``checksum`` and
    ``properties`` (dict, all optional): ``hw_disk_bus`` (virtio, ide, sata,
    scsi), ``hw_cdrom_bus``, ``hw_vif_model`` (virtio, e1000, rtl8139...),
    ``hw_cpu_mode``, ``hw_machine_type``, ``os_type`` (linux, windows),
    ``kernel_id``/``ramdisk_id``/``os_command_line`` (direct kernel boot).

``network_info`` (list of dicts, one per virtual interface)
    ``{'id': vif uuid, 'address': MAC, 'network': {'id', 'label',
    'bridge' (name or None), 'subnets': [{'cidr', 'gateway',
    'ips': [{'address'}]}]}}``.

``migration`` (object or dict)
    ``uuid``, ``source_compute``, ``dest_compute``, ``source_node``,
    ``dest_node``.

``image_api`` (object)
    ``download(context, image_id, dst_path)`` writes the image's bytes to
    ``dst_path``; ``upload(context, image_id, src_path, disk_format)``
    stores ``src_path`` as the data of the (already created) image
    ``image_id``. Both raise ``ImageNotFound`` for an unknown image.

``update_task_state`` (callable)
    ``update_task_state(task_state, expected_state=None)``: snapshot calls it
    with ``IMAGE_PENDING_UPLOAD``, then with ``IMAGE_UPLOADING`` (expected:
    ``IMAGE_PENDING_UPLOAD``) just before the upload starts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any
from typing import Protocol
from typing import TypedDict

# Task states a snapshot passes to update_task_state (Compute API values).
IMAGE_PENDING_UPLOAD = 'image_pending_upload'
IMAGE_UPLOADING = 'image_uploading'


class Instance(Protocol):
    uuid: str
    name: str
    display_name: str
    hostname: str
    host: str | None
    node: str | None
    vcpus: int
    memory_mb: int
    root_gb: int
    ephemeral_gb: int
    swap: int
    image_ref: str
    flavor: Any
    metadata: dict[str, str]
    user_data: str | None
    key_data: str | None
    project_id: str
    user_id: str


class ImageMeta(TypedDict, total=False):
    id: str
    name: str
    disk_format: str
    container_format: str
    size: int
    checksum: str
    properties: dict[str, Any]


class IP(TypedDict):
    address: str


class Subnet(TypedDict, total=False):
    cidr: str
    gateway: str | None
    ips: list[IP]


class Network(TypedDict, total=False):
    id: str
    label: str
    bridge: str | None
    subnets: list[Subnet]


class VIF(TypedDict):
    id: str
    address: str
    network: Network


NetworkInfo = list[VIF]


class ImageAPI(Protocol):
    def download(self, context: Any, image_id: str, dst_path: str) -> None:
        ...

    def upload(self, context: Any, image_id: str, src_path: str,
               disk_format: str) -> None:
        ...


UpdateTaskState = Callable[..., None]


@dataclasses.dataclass(frozen=True)
class InstanceInfo:
    """What ``get_info`` returns.

    ``state`` is a ``nova.virt.power_state`` value; ``internal_id`` is the
    hypervisor's own name for the guest (libvirt: the domain name), for
    logs and operators.
    """

    state: int
    internal_id: str | None = None


def field(obj: Any, key: str, default: Any = None) -> Any:
    """``obj.key`` or ``obj[key]``: flavors and migrations come as both."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def flavor_field(instance: Instance, key: str, default: Any = None) -> Any:
    return field(getattr(instance, 'flavor', None) or {}, key, default)


def image_property(image_meta: ImageMeta | None, key: str,
                   default: Any = None) -> Any:
    properties = (image_meta or {}).get('properties') or {}
    value = properties.get(key)
    return default if value in (None, '') else value
