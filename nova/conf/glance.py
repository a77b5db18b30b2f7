"""Options of the ``[glance]`` group: the Glance v2 image backend.

Besides the options below, the group carries keystoneauth1's standard
session options (``cafile``, ``insecure``, ``timeout``...), adapter options
(``endpoint_override``, ``valid_interfaces``, ``region_name``...) and auth
plugin options (``auth_type`` and the plugin's own). The auth plugin is
only used for calls made without a user token (periodic tasks); a user's
request reaches Glance with that user's token.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP = 'glance'
SERVICE_TYPE = 'image'

glance_opts = [
    cfg.ListOpt(
        'api_servers',
        default=[],
        help='Glance endpoints to use, e.g. http://glance.example:9292, '
             'tried in turn when one cannot be reached. Empty: use '
             'endpoint_override, else the service catalog (service type '
             '"image").'),
    cfg.IntOpt(
        'num_retries',
        default=3,
        min=0,
        help='How many more times a request is tried, on the next of '
             'api_servers, when Glance cannot be reached or answers 5xx. '
             'Raise it on flaky networks.'),
    cfg.BoolOpt(
        'verify_glance_signatures',
        default=False,
        help='Require and verify image signatures (img_signature '
             'properties). Not supported yet: enabling it refuses every '
             'download rather than silently skipping the check.'),
    cfg.IntOpt(
        'download_chunk_size',
        default=64 * 1024,
        min=4096,
        help='Bytes read from Glance and hashed per step of a download. '
             'Larger chunks cost memory per concurrent download.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(glance_opts, group=GROUP)
    ks_loading.register_session_conf_options(conf, GROUP)
    ks_loading.register_auth_conf_options(conf, GROUP)
    ks_loading.register_adapter_conf_options(conf, GROUP)
    conf.set_default('service_type', SERVICE_TYPE, group=GROUP)


def list_opts() -> dict:
    # The chosen auth plugin's own options (auth_url, username...) depend
    # on auth_type and are keystoneauth1's to document.
    opts = (glance_opts
            + ks_loading.get_session_conf_options()
            + ks_loading.get_auth_common_conf_options()
            + ks_loading.get_adapter_conf_options(include_deprecated=False))
    return {GROUP: _unique(opts)}


def _unique(opts: list) -> list:
    seen: set[str] = set()
    result = []
    for opt in opts:
        if opt.dest not in seen:
            seen.add(opt.dest)
            result.append(opt)
    return result
