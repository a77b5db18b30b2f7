"""Tear down an instance's records: one transaction, safe to repeat.

Used by the API (local delete when no compute can do it) and by the
conductor on behalf of nova-compute. The instance's quota usage,
resource allocations and fixed IPs go in the same transaction as the
soft delete, so a crash can never leave one without the other, and a
second delete finds nothing to do.
"""

from __future__ import annotations

from typing import Any

from nova import exception
from nova.compute import move_state
from nova.db import engine
from nova.db.api import allocations as allocations_db
from nova.db.api import instances as instances_db
from nova.db.api import migrations as migrations_db
from nova.db.api import networks as networks_db
from nova.db.api import quotas as quotas_db


def instance_quota_deltas(instance: dict[str, Any]) -> dict[str, int]:
    return {'instances': 1, 'cores': int(instance['vcpus'] or 0),
            'ram': int(instance['memory_mb'] or 0)}


@engine.writer
def destroy_instance(context: Any, instance_uuid: str) -> bool:
    """Soft delete and release everything; False if already deleted."""
    try:
        instance = instances_db.instance_destroy(context, instance_uuid)
    except exception.InstanceNotFound:
        return False
    deltas = instance_quota_deltas(instance)
    for resource, held in move_state.quota_extra(instance).items():
        deltas[resource] = deltas.get(resource, 0) + held
    quotas_db.release(context, instance['project_id'], instance['user_id'],
                      deltas)
    allocations_db.release_resources(context, instance_uuid)
    # A move in progress holds the source node under the migration's id.
    for migration in migrations_db.migration_get_in_progress_by_instance(
            context, instance_uuid):
        allocations_db.release_resources(context, migration['uuid'])
        migrations_db.migration_update(context, migration['id'],
                                       {'status': 'error'})
    networks_db.fixed_ips_release_by_instance(context, instance_uuid)
    return True
