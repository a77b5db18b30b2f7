"""Options of the ``[image]`` group: which image service backend the
control plane uses, the local image store, and the nova-image-api
daemon that serves the local store over the Glance v2 API."""

from oslo_config import cfg

GROUP = 'image'

image_opts = [
    cfg.StrOpt(
        'backend',
        default='local',
        choices=[('local', 'image records in our database, data files '
                           'under [image] store_dir'),
                 ('glance', 'a Glance v2 image service over HTTP, found '
                            'through the [glance] options')],
        help='Image service used by the API (image lookups for boots, '
             'the /images proxy). Processes that never open the database '
             '(nova-compute) always talk HTTP to [glance] endpoint, which '
             'may be a real Glance or nova-image-api.'),
    cfg.StrOpt(
        'store_dir',
        default='$state_path/images',
        help='Directory of the local image store\'s data files, one file '
             'per image. It must be on one file system (uploads are '
             'renamed into place).'),
    cfg.IntOpt(
        'max_image_size',
        default=1099511627776,
        min=1,
        help='Largest image, in bytes, the local image endpoint accepts '
             'in one upload; larger uploads are refused with 413. The '
             'default is 1 TiB, like Glance\'s image_size_cap.'),
    cfg.IntOpt(
        'max_list_limit',
        default=1000,
        min=1,
        help='Largest page of GET /v2/images; a bigger "limit" is '
             'lowered to it.'),
    cfg.IntOpt(
        'default_list_limit',
        default=25,
        min=1,
        help='Page size of GET /v2/images when the client gives no '
             '"limit", like Glance\'s limit_param_default.'),
    cfg.StrOpt(
        'image_api_listen',
        default='0.0.0.0',
        help='IP address on which nova-image-api listens.'),
    cfg.PortOpt(
        'image_api_listen_port',
        default=9292,
        help='TCP port on which nova-image-api listens (Glance\'s port, '
             'so clients configured for Glance need no change).'),
    cfg.IntOpt(
        'image_api_workers',
        min=1,
        help='Worker processes of nova-image-api, all listening on the '
             'same port. Unset means one.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(image_opts, group=GROUP)


def list_opts() -> dict:
    return {GROUP: image_opts}
