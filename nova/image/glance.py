"""The Glance v2 image backend: a small client over keystoneauth1.

``GlanceClient`` offers what the compute side needs from an image
service: ``get``, ``get_all`` (following Glance's ``next`` links),
``download`` (streamed to a temporary file next to the destination,
verified against the image's ``os_hash_algo``/``os_hash_value`` multihash
and its md5 ``checksum``, then renamed into place), ``create``,
``upload`` (streamed from a file) and ``delete``. It talks to any server
speaking the Glance v2 API: a real Glance or this project's own image
endpoint.

Who we are towards Glance: a user's request carries the user's token
(``context.auth_token``); calls without one (periodic tasks, nova-manage)
use the auth plugin configured in ``[glance]`` (``auth_type``...), or no
auth at all when none is configured (a Glance without Keystone). Where
Glance is: ``[glance] api_servers`` (tried in turn), else
``endpoint_override``, else the service catalog (``service_type``,
``valid_interfaces``, ``region_name``).

Glance's HTTP errors become nova exceptions here, so callers never see
keystoneauth1 or HTTP: 404 ImageNotFound, 401/403 ImageNotAuthorized,
400 Invalid, 409 Conflict, unreachable or 5xx ImageServiceUnavailable.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
import tempfile
import urllib.parse
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import requests
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint
from oslo_log import log as logging

from nova import conf as nova_conf
from nova import exception

CONF = nova_conf.CONF
LOG = logging.getLogger(__name__)

GROUP = 'glance'
# The fields of an image that are not additional properties; everything
# else Glance returns for an image is a property.
BASE_FIELDS = frozenset((
    'id', 'name', 'status', 'visibility', 'protected', 'os_hidden',
    'disk_format', 'container_format', 'size', 'virtual_size', 'checksum',
    'os_hash_algo', 'os_hash_value', 'min_disk', 'min_ram', 'owner',
    'created_at', 'updated_at', 'tags', 'file', 'schema', 'self',
    'direct_url', 'locations', 'stores'))
# Fields Glance computes itself; a create request must not send them.
_READ_ONLY = frozenset(('status', 'size', 'virtual_size', 'checksum',
                        'os_hash_algo', 'os_hash_value', 'created_at',
                        'updated_at', 'file', 'schema', 'self', 'owner',
                        'direct_url', 'locations', 'stores'))
# Links and store details that mean nothing outside Glance.
_GLANCE_INTERNAL = frozenset(('file', 'schema', 'self', 'direct_url',
                              'locations', 'stores'))
_PAGE_SIZE = 100


class GlanceClient:
    """Glance v2 over a keystoneauth1 session; one per process is enough
    (the session pools connections and is thread-safe)."""

    def __init__(self, session: ks_session.Session | None = None) -> None:
        self._session = session or ks_loading.load_session_from_conf_options(
            CONF, GROUP)
        servers = (CONF.glance.api_servers or
                   [CONF.glance.endpoint_override or None])
        self._servers = itertools.cycle(servers)

    # -- reads ---------------------------------------------------------
    def get(self, context: Any, image_id: str) -> dict[str, Any]:
        """The image's metadata, properties in ``properties``."""
        resp = self._request(context, 'GET', f'/v2/images/{_q(image_id)}',
                             image_id=image_id)
        return from_glance(resp.json())

    def get_all(self, context: Any,
                filters: Mapping[str, Any] | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
        """Images matching ``filters`` (Glance's query parameters, e.g.
        ``name``, ``status``, ``visibility``, ``sort_key``), all pages, or
        the first ``limit`` images."""
        return list(itertools.islice(self.iter_all(context, filters),
                                     limit))

    def iter_all(self, context: Any,
                 filters: Mapping[str, Any] | None = None
                 ) -> Iterator[dict[str, Any]]:
        query = {'limit': _PAGE_SIZE, **dict(filters or {})}
        path: str | None = '/v2/images?' + urllib.parse.urlencode(query)
        while path:
            body = self._request(context, 'GET', path).json()
            for image in body.get('images', []):
                yield from_glance(image)
            # ``next`` is a path with the marker, relative to the root.
            path = body.get('next')

    # -- data ----------------------------------------------------------
    def download(self, context: Any, image_id: str, dst_path: str) -> None:
        """Stream the image's data into ``dst_path``, verified.

        The data lands in a temporary file in the same directory and is
        renamed only once its hashes match the image record, so
        ``dst_path`` never holds partial or corrupt data.
        """
        if CONF.glance.verify_glance_signatures:
            raise exception.ImageUnacceptable(
                image_id=image_id,
                reason='[glance] verify_glance_signatures is set, but '
                       'image signature verification is not supported')
        meta = self.get(context, image_id)
        resp = self._request(context, 'GET',
                             f'/v2/images/{_q(image_id)}/file',
                             image_id=image_id, stream=True)
        if resp.status_code == 204 or meta.get('status') != 'active':
            resp.close()
            raise exception.ImageUnacceptable(
                image_id=image_id,
                reason=f'it has no data (status {meta.get("status")})')
        verifier = _Verifier(image_id, meta)
        directory = os.path.dirname(os.path.abspath(dst_path))
        fd, tmp = tempfile.mkstemp(dir=directory, prefix='.download-')
        try:
            with os.fdopen(fd, 'wb') as out, contextlib.closing(resp):
                try:
                    for chunk in resp.iter_content(
                            CONF.glance.download_chunk_size):
                        verifier.update(chunk)
                        out.write(chunk)
                except requests.RequestException as exc:
                    raise exception.ImageServiceUnavailable(
                        reason=f'the download of image {image_id} broke '
                               f'after {verifier.size} of '
                               f'{meta.get("size")} bytes: {exc}') from exc
            verifier.verify()
            os.rename(tmp, dst_path)
        except Exception:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        LOG.info('Downloaded image %s (%d bytes) to %s', image_id,
                 verifier.size, dst_path)

    def create(self, context: Any, meta: Mapping[str, Any]
               ) -> dict[str, Any]:
        """A new (queued) image; ``properties`` become image properties."""
        resp = self._request(context, 'POST', '/v2/images',
                             json=to_glance(meta))
        return from_glance(resp.json())

    def upload(self, context: Any, image_id: str, path: str,
               disk_format: str | None = None,
               container_format: str = 'bare') -> None:
        """Upload ``path`` as the data of a queued image (a snapshot).

        ``disk_format`` is set first when the image has none yet, since
        Glance refuses data for an image without formats.
        """
        meta = self.get(context, image_id)
        if disk_format and not meta.get('disk_format'):
            self.update(context, image_id,
                        {'disk_format': disk_format,
                         'container_format': meta.get('container_format')
                         or container_format})
        # A file object: requests streams it with its Content-Length,
        # and _request rewinds it to try again.
        with open(path, 'rb') as data:
            self._request(
                context, 'PUT', f'/v2/images/{_q(image_id)}/file',
                image_id=image_id, data=data,
                headers={'Content-Type': 'application/octet-stream'})

    def update(self, context: Any, image_id: str,
               values: Mapping[str, Any]) -> dict[str, Any]:
        """Set top-level fields or properties (JSON patch ``add``, which
        also replaces)."""
        patch = [{'op': 'add', 'path': f'/{key}', 'value': value}
                 for key, value in to_glance(values).items()]
        resp = self._request(
            context, 'PATCH', f'/v2/images/{_q(image_id)}',
            image_id=image_id, json=patch, headers={
                'Content-Type':
                    'application/openstack-images-v2.1-json-patch'})
        return from_glance(resp.json())

    def delete(self, context: Any, image_id: str) -> None:
        self._request(context, 'DELETE', f'/v2/images/{_q(image_id)}',
                      image_id=image_id)

    # -- transport -----------------------------------------------------
    def _request(self, context: Any, method: str, path: str,
                 image_id: str | None = None, **kwargs: Any) -> Any:
        attempts = CONF.glance.num_retries + 1
        data = kwargs.get('data')
        # Only a read may be repeated after the server saw it; anything
        # may be repeated when the connection was never made.
        retry_5xx = method == 'GET'
        for attempt in range(1, attempts + 1):
            server = next(self._servers)
            if hasattr(data, 'seek'):
                data.seek(0)
            auth = _auth(context, server)
            try:
                resp = self._session.request(
                    _url(server, path), method, auth=auth,
                    authenticated=auth is not None, raise_exc=False,
                    endpoint_filter=None if server else _catalog_filter(),
                    **kwargs)
            except (ks_exc.ConnectFailure, ks_exc.ConnectTimeout) as exc:
                if attempt == attempts:
                    raise exception.ImageServiceUnavailable(
                        reason=str(exc)) from exc
                LOG.warning('Glance %s unreachable (attempt %d/%d): %s',
                            server or 'endpoint', attempt, attempts, exc)
                continue
            except ks_exc.ConnectionError as exc:
                raise exception.ImageServiceUnavailable(
                    reason=str(exc)) from exc
            except ks_exc.EndpointNotFound as exc:
                raise exception.ImageServiceUnavailable(
                    reason=f'no Glance endpoint configured or in the '
                           f'service catalog: {exc}') from exc
            except ks_exc.MissingAuthPlugin as exc:
                raise exception.ImageServiceUnavailable(
                    reason=f'no endpoint for Glance: set [glance] '
                           f'api_servers or endpoint_override ({exc})'
                ) from exc
            if resp.status_code >= 500 and retry_5xx and \
                    attempt < attempts:
                LOG.warning('Glance answered %s to %s %s (attempt %d/%d)',
                            resp.status_code, method, path, attempt,
                            attempts)
                resp.close()
                continue
            if resp.status_code >= 400:
                raise _error(resp, image_id)
            return resp
        raise AssertionError('unreachable')  # pragma: no cover


class _Verifier:
    """Hashes data as it streams and compares with the image record."""

    def __init__(self, image_id: str, meta: Mapping[str, Any]) -> None:
        self.image_id = image_id
        self.size = 0
        self.expected_size = meta.get('size')
        self.hashes: list[tuple[str, Any, str]] = []
        if meta.get('checksum'):
            self.hashes.append(('md5', hashlib.md5(usedforsecurity=False),
                                meta['checksum']))
        algo, value = meta.get('os_hash_algo'), meta.get('os_hash_value')
        if algo and value:
            try:
                self.hashes.append((algo, hashlib.new(algo), value))
            except ValueError as exc:
                raise exception.ImageUnacceptable(
                    image_id=image_id,
                    reason=f'unknown hash algorithm {algo!r}') from exc
        if not self.hashes:
            # An active image always has hashes; no hash means nothing
            # guards against corruption, which we refuse to accept.
            raise exception.ImageUnacceptable(
                image_id=image_id,
                reason='the image record has no checksum to verify')

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        for _algo, hasher, _expected in self.hashes:
            hasher.update(chunk)

    def verify(self) -> None:
        if self.expected_size is not None and self.size != self.expected_size:
            raise exception.ImageChecksumMismatch(
                image_id=self.image_id, algo='size',
                actual=self.size, expected=self.expected_size)
        for algo, hasher, expected in self.hashes:
            actual = hasher.hexdigest()
            if actual != expected.lower():
                raise exception.ImageChecksumMismatch(
                    image_id=self.image_id, algo=algo, actual=actual,
                    expected=expected)


def from_glance(image: Mapping[str, Any]) -> dict[str, Any]:
    """Glance's flat image -> our shape: fields plus ``properties``."""
    meta = {key: value for key, value in image.items()
            if key in BASE_FIELDS and key not in _GLANCE_INTERNAL}
    meta['properties'] = {key: value for key, value in image.items()
                          if key not in BASE_FIELDS}
    return meta


def to_glance(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Our shape -> Glance's flat body; read-only fields dropped."""
    body = {key: value for key, value in meta.items()
            if key != 'properties' and key not in _READ_ONLY
            and value is not None}
    for key, value in (meta.get('properties') or {}).items():
        # Glance properties are strings.
        body[key] = value if isinstance(value, str) else str(value)
    return body


def _q(image_id: str) -> str:
    return urllib.parse.quote(str(image_id), safe='')


def _url(server: str | None, path: str) -> str:
    if server is None:
        return path  # relative: the session resolves the endpoint
    server = server.rstrip('/')
    if server.endswith('/v2'):
        server = server[:-3]
    return server + path


def _catalog_filter() -> dict[str, Any]:
    opts = CONF.glance
    flt: dict[str, Any] = {'service_type': opts.service_type,
                           'interface': opts.valid_interfaces or
                           ['internal', 'public']}
    if opts.region_name:
        flt['region_name'] = opts.region_name
    return flt


def _auth(context: Any, server: str | None) -> Any:
    """The auth plugin for one request (see the module doc); None for
    an anonymous request to a known endpoint (no token header at all)."""
    endpoint = server
    token = getattr(context, 'auth_token', None)
    if token:
        if endpoint:
            return token_endpoint.Token(endpoint, token)
        catalog = getattr(context, 'service_catalog', None)
        if catalog:
            return _CatalogToken(token, catalog)
    conf_auth = ks_loading.load_auth_from_conf_options(CONF, GROUP) \
        if CONF.glance.auth_type else None
    if conf_auth is not None:
        return conf_auth
    if endpoint:
        return None
    raise exception.ImageServiceUnavailable(
        reason='no endpoint for Glance: set [glance] api_servers or '
               'endpoint_override, or configure [glance] auth_type to '
               'read the service catalog')


class _CatalogToken(token_endpoint.Token):
    """A user token with the endpoint from the user's service catalog
    (the list of services keystonemiddleware passes on)."""

    def __init__(self, token: str, catalog: list[dict[str, Any]]) -> None:
        super().__init__(None, token)
        self._catalog = catalog

    def get_endpoint(self, session: Any, **kwargs: Any) -> str | None:
        opts = CONF.glance
        interfaces = opts.valid_interfaces or ['internal', 'public']
        for service in self._catalog:
            if service.get('type') != opts.service_type:
                continue
            endpoints = service.get('endpoints', [])
            for interface in interfaces:
                for endpoint in endpoints:
                    if (endpoint.get('interface') == interface and
                            (not opts.region_name or
                             endpoint.get('region') == opts.region_name)):
                        return endpoint.get('url')
        return None


def _error(resp: Any, image_id: str | None) -> exception.NovaException:
    """Glance's HTTP error as the nova exception that means the same."""
    status = resp.status_code
    text = _message(resp)
    if status == 404 and image_id:
        return exception.ImageNotFound(image_id=image_id)
    if status in (401, 403):
        if image_id:
            return exception.ImageNotAuthorized(image_id=image_id)
        return exception.Forbidden(reason=f'Glance refused: {text}')
    if status == 404:
        return exception.NotFound(f'Glance: {text}')
    if status == 409:
        return exception.Conflict(reason=f'Glance: {text}')
    if status == 413:
        return exception.OverQuota(overs=f'image storage ({text})')
    if status < 500:
        return exception.Invalid(reason=f'Glance refused the request '
                                        f'({status}): {text}')
    return exception.ImageServiceUnavailable(
        reason=f'Glance answered {status}: {text}')


def _message(resp: Any) -> str:
    try:
        body = resp.json()
    except ValueError:
        # Glance's webob errors are small HTML pages: keep their words.
        text = re.sub(r'<[^>]*>', ' ', resp.text or '')
        return ' '.join(text.split())[:300]
    if isinstance(body, dict):
        for key in ('message', 'title'):
            if body.get(key):
                return str(body[key])
        errors = body.get('errors')
        if errors:
            return '; '.join(str(err.get('title') or err) for err in errors)
    return str(body)[:300]


_CLIENT: GlanceClient | None = None


def get_client() -> GlanceClient:
    """The process's client (built on first use, after config parsing)."""
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = GlanceClient()
    return _CLIENT
