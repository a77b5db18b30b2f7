"""Options of the ``[api]`` group: the Compute REST API front door."""

from oslo_config import cfg

GROUP = 'api'

api_opts = [
    cfg.StrOpt(
        'auth_strategy',
        default='keystone',
        choices=[('keystone', 'validate tokens with keystonemiddleware '
                              'against Keystone'),
                 ('noauth2', 'development only: the token "user:project" '
                             'is trusted as is; user "admin" is admin')],
        help='Which Paste pipeline of api-paste.ini serves /v2.1. Never '
             'use noauth2 where the API is reachable by anyone you do '
             'not trust.'),
    cfg.IntOpt(
        'max_limit',
        default=1000,
        min=1,
        help='Largest number of items a collection returns in one page; '
             'a larger "limit" query parameter is reduced to this.'),
    cfg.StrOpt(
        'compute_link_prefix',
        help='Base URL put in place of the request host in links of API '
             'responses, for deployments behind a proxy that does not '
             'send X-Forwarded-* headers.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(api_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: api_opts}
