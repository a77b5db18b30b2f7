"""Snapshot (createImage) and backup (createBackup, with rotation).

The API created the image record (queued); the driver copies the root
disk and uploads it through the image service. A failure deletes the
half-made image and leaves the server as it was, with a fault.
"""

from __future__ import annotations

from typing import Any

from oslo_log import log as logging

from nova import exception
from nova.compute import task_states as ts
from nova.compute.flows import common
from nova.objects import instance as instance_obj

LOG = logging.getLogger(__name__)


def run(manager: Any, context: Any, instance: dict[str, Any],
        image_id: str, backup: dict[str, Any] | None = None) -> None:
    """Snapshot into ``image_id``; ``backup`` = {'type', 'rotation'}."""
    uuid = instance['uuid']
    conductor = manager.conductor
    image_api = manager.driver.image_api
    first = ts.IMAGE_BACKUP if backup else ts.IMAGE_SNAPSHOT_PENDING

    def update_task_state(task_state: str,
                          expected_state: str | None = None) -> None:
        conductor.instance_update(
            context, uuid, {'task_state': task_state},
            expected_task_state=expected_state or [first, ts.IMAGE_SNAPSHOT],
            check_task_state=True)

    try:
        with common.action_event(conductor, context, uuid,
                                 'compute_snapshot_instance', manager.host):
            conductor.instance_update(
                context, uuid, {'task_state': ts.IMAGE_SNAPSHOT},
                expected_task_state=first, check_task_state=True)
            manager.driver.snapshot(context, instance_obj.Instance(instance),
                                    image_id, update_task_state, image_api)
            conductor.instance_update(
                context, uuid, {'task_state': None},
                expected_task_state=ts.IMAGE_UPLOADING,
                check_task_state=True)
    except Exception as exc:  # noqa: BLE001 - ends in a defined state
        if common.overtaken(conductor, context, uuid, exc):
            LOG.info('Snapshot of %s overtaken: %s', uuid, exc)
            _discard(image_api, context, image_id)
            return
        LOG.warning('Snapshot of %s failed: %s', uuid, exc)
        _discard(image_api, context, image_id)
        try:
            conductor.instance_update(context, uuid, {'task_state': None},
                                      expected_task_state=None,
                                      check_task_state=False)
        except exception.InstanceNotFound:
            return
        common.record_fault(conductor, context, uuid, exc, manager.host)
        return
    if backup:
        rotate(image_api, context, uuid, backup['type'], backup['rotation'])


def _discard(image_api: Any, context: Any, image_id: str) -> None:
    try:
        image_api.delete(context, image_id)
    except Exception:  # noqa: BLE001 - the snapshot error matters more
        LOG.exception('Could not delete the failed snapshot %s', image_id)


def rotate(image_api: Any, context: Any, instance_uuid: str,
           backup_type: str, rotation: int) -> None:
    """Keep the newest ``rotation`` backups of this type of the server."""
    backups = [i for i in image_api.get_all(context)
               if (i.get('properties') or {}).get('instance_uuid') ==
               instance_uuid and
               (i.get('properties') or {}).get('image_type') == 'backup' and
               (i.get('properties') or {}).get('backup_type') == backup_type]
    backups.sort(key=lambda i: str(i.get('created_at')), reverse=True)
    for old in backups[rotation:]:
        LOG.info('Rotating out backup %s of %s', old['id'], instance_uuid)
        _discard(image_api, context, old['id'])
