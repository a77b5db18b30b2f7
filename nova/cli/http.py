"""One HTTP client for the Compute API and the image (Glance v2) API.

Every request goes through a keystoneauth1 session, so authentication,
TLS options and retries are the ecosystem's. This module adds what the
CLI needs on top: microversion negotiation, Compute fault messages with
the request id, and following ``next`` links for paged lists.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session

from nova.cli import errors

# The newest Compute API microversion whose requests this CLI knows how
# to build; the default version is min(this, the server's maximum).
CLIENT_MAX_VERSION = '2.96'
CLIENT_MIN_VERSION = '2.1'

# novaclient's names for HTTP errors, so messages read the same.
_ERROR_KINDS = {
    400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden',
    404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable',
    409: 'Conflict', 413: 'OverLimit', 415: 'UnsupportedMediaType',
    429: 'RateLimit', 501: 'HTTPNotImplemented', 503: 'ServiceUnavailable',
}


def parse_version(text: str) -> tuple[int, int]:
    try:
        major, minor = text.strip().split('.')
        return int(major), int(minor)
    except ValueError:
        raise errors.CommandError(
            f'invalid microversion {text!r}: expected MAJOR.MINOR, '
            f'e.g. 2.60') from None


def _fault_message(response: Any) -> str:
    """The human part of an error body, whatever service sent it."""
    try:
        body = response.json()
    except ValueError:
        text = (response.text or '').strip()
        return text.splitlines()[0][:300] if text else response.reason
    if isinstance(body, dict) and len(body) == 1:
        fault = next(iter(body.values()))
        if isinstance(fault, dict) and fault.get('message'):
            return str(fault['message'])
    if isinstance(body, dict) and body.get('message'):
        return str(body['message'])
    return str(body)[:300]


def request_id(response: Any) -> str | None:
    return (response.headers.get('x-openstack-request-id')
            or response.headers.get('x-compute-request-id'))


class Client:
    """Talks to one compute endpoint and, on demand, one image endpoint."""

    def __init__(self, session: ks_session.Session, compute_endpoint: str,
                 image_endpoint: str | None,
                 requested_version: str | None,
                 project_hint: str | None = None) -> None:
        self.session = session
        self._project_hint = project_hint
        self.compute_endpoint = compute_endpoint.rstrip('/')
        self.image_endpoint = (image_endpoint.rstrip('/')
                               if image_endpoint else None)
        self._requested = requested_version
        self._version: str | None = None

    # -- microversions -------------------------------------------------

    @property
    def api_version(self) -> str:
        """The microversion every compute request carries."""
        if self._version is None:
            self._version = self._negotiate()
        return self._version

    def at_least(self, version: str) -> bool:
        return parse_version(self.api_version) >= parse_version(version)

    def server_versions(self) -> list[dict[str, Any]]:
        """The server's version documents (GET on the endpoint itself)."""
        body = self._send('GET', self.compute_endpoint, microversion=None)
        if 'version' in body:
            return [body['version']]
        return list(body.get('versions', []))

    def root_versions(self) -> list[dict[str, Any]]:
        """Every API version the server lists at its root URL."""
        parts = urllib.parse.urlsplit(self.compute_endpoint)
        path = parts.path.split('/v2')[0]
        root = f'{parts.scheme}://{parts.netloc}{path}/'
        response = self._send('GET', root, microversion=None, raw=True)
        try:
            body = response.json()
        except ValueError:
            raise errors.CommandError(
                f'ERROR: {root} did not answer with a version list') from None
        return list(body.get('versions', []))

    @property
    def project_id(self) -> str | None:
        """The project the credentials are scoped to, if known."""
        try:
            project = self.session.get_project_id()
        except ks_exc.ClientException:
            project = None
        return project or self._project_hint

    def _negotiate(self) -> str:
        requested = self._requested
        if requested and requested not in ('auto', 'latest', '2.latest'):
            if not (parse_version(CLIENT_MIN_VERSION)
                    <= parse_version(requested)
                    <= parse_version(CLIENT_MAX_VERSION)):
                raise errors.CommandError(
                    f'microversion {requested} is outside what this '
                    f'client supports ({CLIENT_MIN_VERSION} to '
                    f'{CLIENT_MAX_VERSION})')
            return requested
        current = [v for v in self.server_versions()
                   if v.get('id') == 'v2.1' or v.get('status') == 'CURRENT']
        server_max = current[0].get('version') if current else None
        if not server_max:
            # A server without microversions serves 2.1 semantics.
            return CLIENT_MIN_VERSION
        return min(server_max, CLIENT_MAX_VERSION, key=parse_version)

    # -- requests --------------------------------------------------------

    def _send(self, method: str, url: str, *, microversion: str | None,
              json: Any = None, params: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, data: Any = None,
              raw: bool = False) -> Any:
        kwargs: dict[str, Any] = {'raise_exc': False, 'headers': headers}
        if microversion:
            kwargs.update(microversion=microversion,
                          microversion_service_type='compute')
        if json is not None:
            kwargs['json'] = json
        if data is not None:
            kwargs['data'] = data
        if params:
            kwargs['params'] = {k: v for k, v in params.items()
                                if v is not None}
        try:
            response = self.session.request(url, method, **kwargs)
        except (ks_exc.ConnectFailure, ks_exc.ConnectTimeout,
                ks_exc.SSLError) as exc:
            raise errors.ConnectionFailed(
                f'ERROR: cannot reach {url}: {_reason(exc)}') from None
        except ks_exc.ClientException as exc:
            # Authentication and catalog failures (before any request).
            raise errors.CommandError(f'ERROR: {exc}') from None
        status = response.status_code
        if raw and status < 400:
            return response
        if status >= 300:
            # A 3xx here (requests follows redirects) means the URL is not
            # the resource, e.g. a version list answering an unknown path.
            message = (_fault_message(response) if status >= 400 else
                       f'{url} is not served by this endpoint')
            raise errors.ApiError(
                status, _ERROR_KINDS.get(status, f'HTTP{status}'),
                message, request_id(response))
        if response.status_code == 204 or not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise errors.CommandError(
                f'ERROR: {method} {url} answered HTTP '
                f'{response.status_code} with a body that is not JSON'
            ) from None

    def compute(self, method: str, path: str, *,
                version: str | None = None, **kwargs: Any) -> Any:
        """A Compute API request; ``version`` pins one older microversion
        for APIs that later microversions removed."""
        return self._send(method, self.compute_endpoint + path,
                          microversion=version or self.api_version,
                          **kwargs)

    def image(self, method: str, path: str, **kwargs: Any) -> Any:
        if not self.image_endpoint:
            raise errors.CommandError(
                'ERROR: no image endpoint: the service catalog lists none; '
                'give --os-image-endpoint (or image_endpoint_override in '
                'clouds.yaml)')
        return self._send(method, self.image_endpoint + path,
                          microversion=None, **kwargs)

    def offset_pages(self, path: str, key: str,
                     params: dict[str, Any] | None = None
                     ) -> Iterator[dict[str, Any]]:
        return _offset_pages(self, path, key, params)

    def compute_pages(self, path: str, key: str,
                      params: dict[str, Any] | None = None
                      ) -> Iterator[dict[str, Any]]:
        """Every item of a paged Compute list, following ``next`` links."""
        params = dict(params or {})
        seen: set[str] = set()
        while True:
            body = self.compute('GET', path, params=params)
            yield from body.get(key, [])
            # Most lists name their links '<key>_links'; instance actions
            # (2.58) say just 'links'.
            links = body.get(f'{key}_links') or body.get('links') or []
            marker = _next_marker(links)
            # A server that repeats a marker would loop forever.
            if marker is None or marker in seen:
                return
            seen.add(marker)
            params['marker'] = marker


def _offset_pages(client: Client, path: str, key: str,
                  params: dict[str, Any] | None = None
                  ) -> Iterator[dict[str, Any]]:
    """Every item of a list paged by ``offset`` without links (server
    groups): ask for the next offset until a page comes back empty."""
    params = dict(params or {})
    offset = 0
    first_ids: set[Any] = set()
    while True:
        items = client.compute('GET', path, params={**params,
                                                    'offset': offset})[key]
        # A server that ignores offset would answer page one forever.
        if not items or items[0].get('id') in first_ids:
            return
        first_ids.add(items[0].get('id'))
        yield from items
        offset += len(items)


def _next_marker(links: list[dict[str, Any]]) -> str | None:
    for link in links:
        if link.get('rel') == 'next':
            query = urllib.parse.parse_qs(
                urllib.parse.urlsplit(link['href']).query)
            markers = query.get('marker')
            return markers[0] if markers else None
    return None


def _reason(exc: Exception) -> str:
    text = str(exc)
    for hint in ('Connection refused', 'timed out', 'Name or service not '
                 'known', 'certificate verify failed'):
        if hint in text:
            return hint.lower()
    return text.splitlines()[0] if text else type(exc).__name__
