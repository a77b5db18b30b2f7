"""createImage and createBackup: the API half (the image record, the
state claim, the cast). The compute half is nova/compute/flows/snapshot.py.
"""

from __future__ import annotations

from typing import Any

from nova.compute import rpcapi as compute_rpcapi
from nova.compute.actions import common
from nova.db.api import instances as instances_db
from nova.image import api as image_api


def _image_meta(context: Any, instance: dict[str, Any], name: str,
                properties: dict[str, str]) -> dict[str, Any]:
    props = dict(instance.get('metadata') or {})
    props.update(properties)
    props.update({'instance_uuid': instance['uuid'],
                  'base_image_ref': instance.get('image_ref') or '',
                  'user_id': context.user_id})
    return {'name': name, 'container_format': 'bare',
            'visibility': 'private', 'owner': instance['project_id'],
            'min_disk': instance.get('root_gb') or 0,
            'properties': props}


def create_image(context: Any, instance: dict[str, Any], name: str,
                 metadata: dict[str, str]) -> dict[str, Any]:
    """Start a snapshot; the (queued) image."""
    updated = common.begin(context, instance, 'createImage')
    image = _create(context, updated, name,
                    dict(metadata, image_type='snapshot'))
    compute_rpcapi.ComputeAPI().snapshot_instance(context, updated,
                                                  image['id'], None)
    return image


def create_backup(context: Any, instance: dict[str, Any], name: str,
                  backup_type: str, rotation: int,
                  metadata: dict[str, str]) -> dict[str, Any]:
    """Start a backup, keeping the newest ``rotation``; the image."""
    updated = common.begin(context, instance, 'createBackup')
    image = _create(context, updated, name,
                    dict(metadata, image_type='backup',
                         backup_type=backup_type))
    compute_rpcapi.ComputeAPI().snapshot_instance(
        context, updated, image['id'],
        {'type': backup_type, 'rotation': rotation})
    return image


def create_shelved_image(context: Any,
                        instance: dict[str, Any]) -> dict[str, Any]:
    """The image a shelve saves the server's disk into."""
    return _create(context, instance,
                   f"{instance.get('display_name') or instance['uuid']}"
                   '-shelved', {'image_type': 'snapshot'})


def _create(context: Any, instance: dict[str, Any], name: str,
            properties: dict[str, str]) -> dict[str, Any]:
    try:
        return image_api.API().create(
            context, _image_meta(context, instance, name, properties))
    except Exception:
        # No image, no snapshot: give the server back its idle state.
        instances_db.instance_update(context, instance['uuid'],
                                     {'task_state': None})
        raise
