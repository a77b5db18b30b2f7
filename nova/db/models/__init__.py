"""SQLAlchemy models, one module per resource.

Import models from here (``from nova.db import models``;
``models.Instance``); ``Base.metadata`` holds every table and is what the
migrations are checked against.
"""

from nova.db.models.aggregate import Aggregate
from nova.db.models.aggregate import AggregateHost
from nova.db.models.aggregate import AggregateMetadata
from nova.db.models.base import Base
from nova.db.models.compute import Allocation
from nova.db.models.compute import ComputeNode
from nova.db.models.compute import Inventory
from nova.db.models.compute import Service
from nova.db.models.console import ConsoleAuthToken
from nova.db.models.flavor import Flavor
from nova.db.models.flavor import FlavorExtraSpec
from nova.db.models.flavor import FlavorProject
from nova.db.models.image import Image
from nova.db.models.image import ImageProperty
from nova.db.models.image import ImageTag
from nova.db.models.instance import Instance
from nova.db.models.instance import InstanceAction
from nova.db.models.instance import InstanceActionEvent
from nova.db.models.instance import InstanceExtra
from nova.db.models.instance import InstanceFault
from nova.db.models.instance import InstanceMetadata
from nova.db.models.instance import InstanceSystemMetadata
from nova.db.models.instance import Tag
from nova.db.models.keypair import KeyPair
from nova.db.models.migration import Migration
from nova.db.models.network import FixedIp
from nova.db.models.network import Network
from nova.db.models.quota import ProjectUserQuota
from nova.db.models.quota import Quota
from nova.db.models.quota import QuotaClass
from nova.db.models.quota import QuotaUsage
from nova.db.models.request_spec import RequestSpec
from nova.db.models.server_group import InstanceGroup
from nova.db.models.server_group import InstanceGroupMember

__all__ = [
    'Aggregate', 'AggregateHost', 'AggregateMetadata', 'Allocation',
    'Base', 'ComputeNode', 'ConsoleAuthToken', 'FixedIp', 'Flavor',
    'FlavorExtraSpec', 'FlavorProject', 'Image', 'ImageProperty',
    'ImageTag', 'Instance', 'InstanceAction', 'InstanceActionEvent',
    'InstanceExtra', 'InstanceFault', 'InstanceGroup',
    'InstanceGroupMember', 'InstanceMetadata', 'InstanceSystemMetadata',
    'Inventory', 'KeyPair', 'Migration', 'Network', 'ProjectUserQuota',
    'Quota', 'QuotaClass', 'QuotaUsage', 'RequestSpec', 'Service', 'Tag',
]
