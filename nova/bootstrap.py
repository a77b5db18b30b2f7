"""First-start catalogue of the embedded default: the usual flavors, a
default network and a small default image, so a newcomer can boot at
once. Deployed clouds get none of this unless the operator asks.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

from oslo_log import log as logging

from nova.db.api import flavors as flavors_db
from nova.db.api import images as images_db
from nova.db.api import networks as networks_db

LOG = logging.getLogger(__name__)

# name, flavorid, vcpus, memory_mb, root_gb
FLAVORS = [
    ('m1.tiny', '1', 1, 512, 1),
    ('m1.small', '2', 1, 2048, 20),
    ('m1.medium', '3', 2, 4096, 40),
    ('m1.large', '4', 4, 8192, 80),
    ('m1.xlarge', '5', 8, 16384, 160),
]
DEFAULT_IMAGE_NAME = 'default'
DEFAULT_IMAGE_SIZE = 1024 * 1024
DEFAULT_NETWORK = ('private', '192.168.100.0/24', '192.168.100.1')


def seed(context: Any, state_path: str) -> bool:
    """Create the catalogue if the cloud is empty; True if it did."""
    if flavors_db.flavor_get_all(context):
        return False
    for name, flavorid, vcpus, ram, disk in FLAVORS:
        flavors_db.flavor_create(context, {
            'name': name, 'flavorid': flavorid, 'vcpus': vcpus,
            'memory_mb': ram, 'root_gb': disk, 'ephemeral_gb': 0,
            'swap': 0, 'is_public': True})
    label, cidr, gateway = DEFAULT_NETWORK
    networks_db.network_create(context, {
        'label': label, 'cidr': cidr, 'gateway': gateway,
        'dns1': gateway, 'is_default': True})
    _default_image(context, state_path)
    LOG.info('Embedded catalogue created: flavors m1.tiny..m1.xlarge, '
             'network %s (%s), image %r', label, cidr, DEFAULT_IMAGE_NAME)
    return True


def _default_image(context: Any, state_path: str) -> None:
    """A small blank raw disk; enough for the fake driver."""
    image_id = str(uuid.uuid4())
    directory = os.path.join(state_path, 'images')
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, image_id)
    data = b'\0' * DEFAULT_IMAGE_SIZE
    with open(path, 'wb') as handle:
        handle.write(data)
    images_db.image_create(context, {
        'id': image_id, 'name': DEFAULT_IMAGE_NAME, 'status': 'active',
        'visibility': 'public', 'disk_format': 'raw',
        'container_format': 'bare', 'size': len(data),
        'virtual_size': len(data), 'location': path,
        'checksum': hashlib.md5(data, usedforsecurity=False).hexdigest(),
        'os_hash_algo': 'sha512',
        'os_hash_value': hashlib.sha512(data).hexdigest(),
        'min_disk': 0, 'min_ram': 0})
