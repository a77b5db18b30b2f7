"""The local image store: records in our database, bytes in one file per
image under ``[image] store_dir``.

Uploads are streamed: bytes are hashed (md5 ``checksum`` and sha512
``os_hash_value``) and written to a private partial file as they arrive;
the complete file is inspected (its real format must be the declared
one, and a qcow2 must not refer to other files), and only then renamed
into place and the image marked ``active``. Any failure (client gone,
size limit, refused format, disk full) removes the partial file and puts
the image back to ``queued``, so a partial upload never leaves an active
image.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import uuid
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any
from typing import BinaryIO

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from nova import exception
from nova.db.api import images as images_db
from nova.image import access
from nova.image import format_inspector

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
HASH_ALGO = 'sha512'
# Disk formats whose data is checked against the declared format when
# uploaded; the others (aki, ari, ami, ploop) are stored as they come.
INSPECTED_FORMATS = frozenset(('raw', 'qcow2', 'vmdk', 'vhd', 'vhdx',
                               'vdi', 'iso'))


class ImageUploadConflict(exception.Conflict):
    msg_fmt = 'Image %(image_id)s is %(status)s; only a queued image ' \
              'accepts data.'


class ImageTooLarge(exception.RequestTooLarge):
    msg_fmt = 'Image data is larger than the limit of %(limit)d bytes.'


class UploadInterrupted(exception.Invalid):
    msg_fmt = 'The upload was interrupted (%(reason)s); the image stays ' \
              'queued.'


class StoreFull(exception.RequestTooLarge):
    msg_fmt = 'Image storage media is full (%(reason)s).'


class IncompleteUpload(exception.Invalid):
    msg_fmt = 'Image upload ended after %(received)d of %(expected)d ' \
              'bytes; the image stays queued.'


def store_dir() -> str:
    return CONF.image.store_dir


class LocalImageService:
    """Image records and data of the local store."""

    # -- records ----------------------------------------------------------
    def get(self, context: Any, image_id: str) -> dict[str, Any]:
        if not uuidutils.is_uuid_like(image_id):
            raise exception.ImageNotFound(image_id=image_id)
        return images_db.image_get(context, image_id)

    def get_visible(self, context: Any, image_id: str) -> dict[str, Any]:
        image = self.get(context, image_id)
        if not access.visible(context, image):
            raise exception.ImageNotFound(image_id=image_id)
        return image

    def get_all(self, context: Any,
                filters: Mapping[str, Any] | None = None,
                sort_key: str = 'created_at', sort_dir: str = 'desc',
                limit: int | None = None,
                marker: str | None = None) -> list[dict[str, Any]]:
        """Images the caller may see, matching ``filters`` (see
        ``nova.db.api.images.image_get_all``)."""
        filters = dict(filters or {})
        if not context.is_admin:
            filters['visible_to'] = context.project_id
        if marker is not None:
            # A marker the caller may not see is as good as unknown.
            try:
                self.get_visible(context, marker)
            except exception.ImageNotFound as exc:
                raise exception.MarkerNotFound(marker=marker) from exc
        return images_db.image_get_all(context, filters, sort_key=sort_key,
                                       sort_dir=sort_dir, limit=limit,
                                       marker=marker)

    def create(self, context: Any, meta: Mapping[str, Any]
               ) -> dict[str, Any]:
        """A queued image: columns, plus ``properties`` and ``tags``."""
        values = dict(meta)
        properties = values.pop('properties', None) or {}
        tags = values.pop('tags', None) or ()
        values['status'] = 'queued'
        if values.get('owner') is None:
            values['owner'] = context.project_id
        return images_db.image_create(context, values, properties, tags)

    def update(self, context: Any, image_id: str,
               values: Mapping[str, Any],
               properties: Mapping[str, Any] | None = None,
               purge_props: bool = False) -> dict[str, Any]:
        return images_db.image_update(context, image_id, values,
                                      properties, purge_props)

    def delete(self, context: Any, image_id: str) -> None:
        image = images_db.image_destroy(context, image_id)
        _unlink(image.get('location'))

    def add_tag(self, context: Any, image_id: str, tag: str) -> None:
        images_db.image_tag_add(context, image_id, tag)

    def delete_tag(self, context: Any, image_id: str, tag: str) -> None:
        images_db.image_tag_delete(context, image_id, tag)

    def set_tags(self, context: Any, image_id: str,
                 tags: list[str]) -> list[str]:
        current = set(self.get(context, image_id)['tags'])
        for tag in current - set(tags):
            images_db.image_tag_delete(context, image_id, tag)
        for tag in set(tags) - current:
            images_db.image_tag_add(context, image_id, tag)
        return sorted(set(tags))

    # -- data ---------------------------------------------------------------
    def receive(self, context: Any, image_id: str, stream: BinaryIO,
                expected_size: int | None = None) -> dict[str, Any]:
        """Store the bytes read from ``stream`` as the image's data.

        ``expected_size`` (the request's Content-Length) lets an upload
        over the limit be refused before reading anything, and a stream
        that ends early be recognised as incomplete.
        """
        limit = CONF.image.max_image_size
        if expected_size is not None and expected_size > limit:
            raise ImageTooLarge(limit=limit)
        image = self._start_upload(context, image_id)
        directory = store_dir()
        os.makedirs(directory, exist_ok=True)
        target = os.path.join(directory, image_id)
        partial = f'{target}.{uuid.uuid4().hex}.part'
        try:
            size, md5, sha = _copy_hashing(stream, partial, limit,
                                           expected_size)
            virtual_size = _inspect(partial, image.get('disk_format'))
            os.rename(partial, target)
        except BaseException:
            _unlink(partial)
            self._abort_upload(context, image_id)
            raise
        LOG.info('Image %s uploaded: %d bytes, md5 %s', image_id, size, md5)
        try:
            return images_db.image_update(context, image_id, {
                'status': 'active', 'location': target, 'size': size,
                'virtual_size': virtual_size, 'checksum': md5,
                'os_hash_algo': HASH_ALGO, 'os_hash_value': sha})
        except exception.ImageNotFound:
            # Deleted while uploading: its bytes have no owner.
            _unlink(target)
            raise

    def _start_upload(self, context: Any, image_id: str) -> dict[str, Any]:
        # Compare-and-set through the row: two concurrent uploads cannot
        # both see "queued" (the writer transaction serialises them).
        image = images_db.image_set_status(context, image_id,
                                           expected='queued',
                                           status='saving')
        if image is None:
            current = self.get(context, image_id)
            raise ImageUploadConflict(image_id=image_id,
                                      status=current['status'])
        return image

    def _abort_upload(self, context: Any, image_id: str) -> None:
        with contextlib.suppress(exception.ImageNotFound):
            images_db.image_set_status(context, image_id,
                                       expected='saving', status='queued')

    def open_data(self, context: Any, image: Mapping[str, Any]
                  ) -> Iterator[bytes]:
        """The image's bytes, in chunks, for a streamed response."""
        location = image.get('location')
        if image.get('status') != 'active' or not location:
            raise exception.Conflict(
                f'Image {image["id"]} has no data (status '
                f'{image.get("status")}).')
        try:
            handle = open(location, 'rb')  # noqa: SIM115 - closed below
        except FileNotFoundError as exc:
            raise exception.ImageNotFound(image_id=image['id']) from exc
        return _chunks(handle)

    # -- the driver-facing calls (nova.virt.contract image_api) --------------
    def download(self, context: Any, image_id: str, dst_path: str) -> None:
        image = self.get(context, image_id)
        with open(dst_path, 'wb') as out:
            for chunk in self.open_data(context, image):
                out.write(chunk)

    def upload(self, context: Any, image_id: str, src_path: str,
               disk_format: str) -> None:
        image = self.get(context, image_id)
        self.update(context, image_id, {
            'disk_format': disk_format,
            'container_format': image.get('container_format') or 'bare'})
        with open(src_path, 'rb') as handle:
            self.receive(context, image_id, handle,
                         os.path.getsize(src_path))


def _copy_hashing(stream: BinaryIO, path: str, limit: int,
                  expected: int | None) -> tuple[int, str, str]:
    md5 = hashlib.md5(usedforsecurity=False)
    sha = hashlib.new(HASH_ALGO)
    size = 0
    with open(path, 'xb') as out:
        while True:
            want = CHUNK_SIZE if expected is None else \
                min(CHUNK_SIZE, expected - size)
            if want <= 0:
                break
            try:
                chunk = stream.read(want)
            except OSError as exc:
                # The client went away or its connection broke.
                raise UploadInterrupted(reason=exc) from exc
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise ImageTooLarge(limit=limit)
            md5.update(chunk)
            sha.update(chunk)
            _write(out, chunk)
        out.flush()
        os.fsync(out.fileno())
    if expected is not None and size != expected:
        raise IncompleteUpload(received=size, expected=expected)
    return size, md5.hexdigest(), sha.hexdigest()


def _write(out: BinaryIO, chunk: bytes) -> None:
    try:
        out.write(chunk)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StoreFull(reason=exc.strerror) from exc
        raise


def _inspect(path: str, disk_format: str | None) -> int | None:
    """The virtual size of an acceptable disk; refuses (400) data whose
    real format is not the declared one, and qcow2 images that refer to
    other files (see nova.image.format_inspector)."""
    if disk_format not in INSPECTED_FORMATS:
        return None
    return format_inspector.check_file(path, disk_format).virtual_size


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


def _unlink(path: str | None) -> None:
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
