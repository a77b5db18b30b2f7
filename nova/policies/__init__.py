"""Policy defaults, one module per API resource.

Registered through the ``oslo.policy.policies`` entry point so that
``oslopolicy-sample-generator --namespace nova`` lists them.
"""

import itertools

from nova.policies import base
from nova.policies import services

# Resource modules append themselves here as they are added.
MODULES = [base, services]


def list_rules() -> list:
    return list(itertools.chain.from_iterable(
        module.list_rules() for module in MODULES))
