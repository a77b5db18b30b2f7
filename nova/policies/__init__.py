"""Policy defaults, one module per API resource.

Registered through the ``oslo.policy.policies`` entry point so that
``oslopolicy-sample-generator --namespace nova`` lists them.
"""

import itertools

from nova.policies import aggregates
from nova.policies import availability_zones
from nova.policies import base
from nova.policies import flavor_access
from nova.policies import flavor_extra_specs
from nova.policies import flavors
from nova.policies import hosts
from nova.policies import hypervisors
from nova.policies import instance_actions
from nova.policies import keypairs
from nova.policies import limits
from nova.policies import migrations
from nova.policies import quota_classes
from nova.policies import quota_sets
from nova.policies import server_actions
from nova.policies import server_groups
from nova.policies import server_metadata
from nova.policies import server_tags
from nova.policies import servers
from nova.policies import services
from nova.policies import simple_tenant_usage

# Resource modules append themselves here as they are added.
MODULES = [base, services, servers]
MODULES += [aggregates, server_groups, hypervisors, hosts, migrations,
            simple_tenant_usage, instance_actions]

MODULES += [flavors, flavor_access, flavor_extra_specs, keypairs, limits,
            quota_sets, quota_classes, availability_zones]

MODULES += [server_metadata, server_tags]

MODULES += [server_actions]


def list_rules() -> list:
    return list(itertools.chain.from_iterable(
        module.list_rules() for module in MODULES))
