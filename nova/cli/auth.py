"""Where the CLI's session and endpoints come from.

Three ways, checked in this order:

1. endpoint and token (the noauth2 development pipeline, or any fixed
   endpoint with a pre-issued token): ``--os-endpoint URL --os-token T``,
   or ``NOVA_ENDPOINT`` and ``OS_TOKEN`` in the environment;
2. a cloud from ``clouds.yaml``: ``--os-cloud NAME`` or ``OS_CLOUD``
   (read by openstacksdk's config loader, which also honours
   ``compute_endpoint_override`` and ``image_endpoint_override``);
3. Keystone credentials from the standard ``OS_*`` variables or their
   ``--os-*`` options (keystoneauth1's own loading), endpoints from the
   service catalog.
"""

from __future__ import annotations

import argparse
import urllib.parse
from typing import Any

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from nova.cli import errors
from nova.cli import http


def register_options(parser: argparse.ArgumentParser, argv: list[str],
                     env: dict[str, str]) -> None:
    """Add the ``--os-*`` options (defaults from the environment)."""
    parser.add_argument(
        '--os-cloud', metavar='NAME', default=env.get('OS_CLOUD'),
        help='Cloud name in clouds.yaml (env: OS_CLOUD)')
    parser.add_argument(
        '--os-endpoint', metavar='URL',
        default=env.get('NOVA_ENDPOINT') or env.get('OS_COMPUTE_ENDPOINT'),
        help='Compute API endpoint, e.g. http://127.0.0.1:8774/v2.1; '
             'with --os-token, no Keystone is asked (env: NOVA_ENDPOINT)')
    parser.add_argument(
        '--os-image-endpoint', metavar='URL',
        default=env.get('NOVA_IMAGE_ENDPOINT'),
        help='Image (Glance v2) endpoint; default: the service catalog, '
             'or http://HOST:PORT/image next to --os-endpoint '
             '(env: NOVA_IMAGE_ENDPOINT)')
    parser.add_argument(
        '--os-compute-api-version', metavar='X.Y',
        default=env.get('OS_COMPUTE_API_VERSION'),
        help='Compute API microversion; default: the highest both this '
             f'client ({http.CLIENT_MAX_VERSION}) and the server support '
             '(env: OS_COMPUTE_API_VERSION)')
    parser.add_argument(
        '--os-region-name', metavar='REGION',
        default=env.get('OS_REGION_NAME'),
        help='Region of the endpoints in the catalog (env: OS_REGION_NAME)')
    parser.add_argument(
        '--os-interface', metavar='INTERFACE',
        default=env.get('OS_INTERFACE', 'public'),
        help='Endpoint interface in the catalog: public, internal or admin '
             '(env: OS_INTERFACE)')
    loading.register_auth_argparse_arguments(parser, argv,
                                             default='password')
    loading.register_session_argparse_arguments(parser)
    if '--os-token' not in parser._option_string_actions:
        parser.add_argument(
            '--os-token', metavar='TOKEN', default=env.get('OS_TOKEN'),
            help='Token sent with --os-endpoint; "user:project" on the '
                 'noauth2 pipeline, "admin:admin" for an admin '
                 '(env: OS_TOKEN)')


def make_client(options: argparse.Namespace) -> http.Client:
    """The API client for these options; CommandError if they say
    nothing usable."""
    if options.os_endpoint:
        return _endpoint_client(options)
    if options.os_cloud:
        return _cloud_client(options)
    if getattr(options, 'os_auth_url', None):
        return _keystone_client(options)
    raise errors.CommandError(
        'ERROR: no credentials: use --os-cloud (clouds.yaml), the OS_* '
        'variables (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, '
        'OS_PROJECT_NAME...), or --os-endpoint with --os-token '
        '(NOVA_ENDPOINT and OS_TOKEN)')


def _endpoint_client(options: argparse.Namespace) -> http.Client:
    if not options.os_token:
        raise errors.CommandError(
            'ERROR: --os-endpoint needs --os-token (or OS_TOKEN)')
    endpoint = options.os_endpoint.rstrip('/')
    if not urllib.parse.urlsplit(endpoint).path:
        # Only host and port given: the Compute API's usual place.
        endpoint += '/v2.1'
    options.os_endpoint = endpoint
    session = ks_session.Session(
        auth=token_endpoint.Token(endpoint, options.os_token),
        verify=_verify(options), timeout=options.timeout)
    image = (_unversioned(options.os_image_endpoint)
             or _beside(options.os_endpoint))
    # noauth2 tokens are "user:project[:roles]": the project is known.
    parts = options.os_token.split(':')
    project = parts[1] if len(parts) > 1 else None
    return http.Client(session, options.os_endpoint, image,
                       options.os_compute_api_version, project)


def _cloud_client(options: argparse.Namespace) -> http.Client:
    # openstacksdk is only needed for clouds.yaml; import it on demand.
    from openstack import config as os_config
    from openstack import exceptions as os_exc
    try:
        region = os_config.OpenStackConfig().get_one(
            cloud=options.os_cloud,
            region_name=options.os_region_name)
        session = region.get_session()
        compute = region.get_session_endpoint('compute')
        image = (options.os_image_endpoint
                 or region.get_session_endpoint('image'))
    except (os_exc.SDKException, ks_exc.ClientException) as exc:
        raise errors.CommandError(f'ERROR: cloud {options.os_cloud!r}: '
                                  f'{exc}') from None
    if not compute:
        raise errors.CommandError(
            f'ERROR: cloud {options.os_cloud!r} has no compute endpoint')
    if not image or image.rstrip('/') == compute.rstrip('/'):
        # A fixed-endpoint auth (admin_token) answers every service type
        # with the compute URL; the embedded image API sits beside it.
        image = _beside(compute)
    return http.Client(session, compute, _unversioned(image),
                       options.os_compute_api_version)


def _keystone_client(options: argparse.Namespace) -> http.Client:
    try:
        auth = loading.load_auth_from_argparse_arguments(options)
        session = loading.load_session_from_argparse_arguments(
            options, auth=auth)
    except ks_exc.ClientException as exc:
        raise errors.CommandError(f'ERROR: authentication: {exc}') from None
    where: dict[str, Any] = {'interface': options.os_interface,
                             'region_name': options.os_region_name}
    # The first catalog lookup is where the token is fetched.
    compute = _catalog_endpoint(session, 'compute', where)
    if not compute:
        raise errors.CommandError(
            f'ERROR: the service catalog lists no compute endpoint '
            f'(interface {options.os_interface}, region '
            f'{options.os_region_name or "any"})')
    image = (options.os_image_endpoint
             or _catalog_endpoint(session, 'image', where))
    return http.Client(session, compute, _unversioned(image),
                       options.os_compute_api_version)


def _catalog_endpoint(session: ks_session.Session, service_type: str,
                      where: dict[str, Any]) -> str | None:
    try:
        return session.get_endpoint(service_type=service_type, **where)
    except ks_exc.EndpointNotFound:
        return None
    except (ks_exc.ConnectFailure, ks_exc.ConnectTimeout,
            ks_exc.SSLError) as exc:
        raise errors.ConnectionFailed(
            f'ERROR: cannot reach the identity service: {exc}') from None
    except ks_exc.ClientException as exc:
        raise errors.CommandError(f'ERROR: authentication: {exc}') from None


def _verify(options: argparse.Namespace) -> bool | str:
    if getattr(options, 'insecure', False):
        return False
    return getattr(options, 'os_cacert', None) or True


def _beside(compute_endpoint: str) -> str:
    """The embedded default's image API: ``/image`` on the same host."""
    parts = urllib.parse.urlsplit(compute_endpoint)
    return f'{parts.scheme}://{parts.netloc}/image'


def _unversioned(endpoint: str | None) -> str | None:
    """Catalogs list Glance with or without ``/v2``; paths add it."""
    if endpoint and endpoint.rstrip('/').endswith('/v2'):
        return endpoint.rstrip('/')[:-3]
    return endpoint
