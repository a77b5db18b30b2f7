"""Delete an instance on this host: stop the guest, then let conductor
release its records (quota, allocations, addresses) and soft-delete it.
"""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging

from nova.compute.flows import common
from nova.objects import instance as instance_obj

LOG = logging.getLogger(__name__)
EVENT = 'compute_terminate_instance'


def run(manager: Any, context: Any, instance: dict[str, Any]) -> None:
    uuid = instance['uuid']
    guest = instance_obj.Instance(instance)
    conductor = manager.conductor
    try:
        with common.action_event(conductor, context, uuid, EVENT,
                                 manager.host):
            network_info = conductor.network_info(context, uuid)
            manager.driver.destroy(context, guest, network_info)
            conductor.instance_destroy(context, uuid)
    except Exception as exc:  # noqa: BLE001 - ends in ERROR, not stuck
        LOG.exception('Deleting instance %s failed', uuid)
        common.set_error(conductor, context, uuid, exc, manager.host)
        return
    LOG.info('Instance %s deleted', uuid)
