"""A compute that comes back after its instances were evacuated.

Evacuation rebuilds a server of a dead host elsewhere without asking the
dead host (nova/conductor/tasks/evacuate.py); its hypervisor may still
run the old guest (QEMU outlives a crashed nova-compute). At start-up,
before it serves, the compute removes those copies so that no server
runs twice, and marks the finished evacuations 'completed'.

Allocations need nothing here: the evacuation frees the source node's
share itself when the rebuild ends, either way (conductor's ``moved``
or ``aborted`` step), so removing the guest frees nothing twice.
"""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging

from nova.objects import instance as instance_obj

LOG = logging.getLogger(__name__)


def remove_evacuated_guests(manager: Any, context: Any) -> None:
    """Destroy the guests here of instances evacuated to another host.

    Best effort: a failure is logged and start-up goes on (the next start
    tries again, the migration not being completed).
    """
    conductor = manager.conductor
    if not conductor.can_list_evacuations():
        LOG.warning('Conductor is pinned below RPC 1.3: guests evacuated '
                    'from %s are not looked for', manager.host)
        return
    try:
        evacuations = conductor.evacuations_left_on(context, manager.host)
        present = set(manager.driver.list_instance_uuids())
    except Exception:  # noqa: BLE001 - must not stop the service
        LOG.exception('Could not look for guests evacuated from %s',
                      manager.host)
        return
    for migration in evacuations:
        try:
            _clean_up(manager, context, migration, present)
        except Exception:  # noqa: BLE001 - one bad guest must not stop
            # the others or the service
            LOG.exception('Removing the evacuated guest of %s failed',
                          migration['instance_uuid'])


def _clean_up(manager: Any, context: Any, migration: dict[str, Any],
              present: set[str]) -> None:
    uuid = migration['instance_uuid']
    instance = migration.get('instance')
    deleted = instance is None or bool(instance.get('deleted'))
    if not deleted and instance['host'] == manager.host:
        # Conductor has not moved it yet (or it came back here since):
        # the guest here is the server.
        LOG.info('Instance %s is still on %s; evacuation %s left alone',
                 uuid, manager.host, migration['id'])
        return
    if uuid in present:
        if instance is None:
            LOG.warning('Guest of %s evacuated from %s has no record left '
                        'to destroy it by; remove it by hand', uuid,
                        manager.host)
        else:
            _destroy(manager, context, instance, deleted)
            present.discard(uuid)
    if deleted or migration['status'] == 'done':
        manager.conductor.migration_update(context, migration['id'],
                                           {'status': 'completed'})
    else:
        # The destination is still rebuilding: its outcome ('done' or
        # 'error') must not be overwritten; the next start completes it.
        LOG.info('Evacuation %s of %s still in progress on %s',
                 migration['id'], uuid, migration.get('dest_compute'))


def _destroy(manager: Any, context: Any, instance: dict[str, Any],
             deleted: bool) -> None:
    uuid = instance['uuid']
    LOG.warning('Destroying the guest of %s on %s: the instance was '
                'evacuated to %s', uuid, manager.host,
                'nowhere (deleted since)' if deleted else instance['host'])
    # The instance's VIFs, so that a driver unplugs the old guest's local
    # ends; a deleted instance has none left.
    network_info = [] if deleted else manager.conductor.network_info(
        context, uuid)
    manager.driver.destroy(context, instance_obj.Instance(instance),
                           network_info, destroy_disks=True)
