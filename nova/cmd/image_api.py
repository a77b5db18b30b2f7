"""nova-image-api: serves the local image store over the Glance v2 API
(the ``image_api`` application of api-paste.ini)."""

from __future__ import annotations

import sys

from nova.api import server
from nova.cmd import common

APP_NAME = 'image_api'


def main(argv: list[str] | None = None) -> int:
    common.init(argv)
    opts = common.CONF.image
    workers = opts.image_api_workers
    return common.run_workers(
        lambda: [server.WSGIService(
            name=APP_NAME, host=opts.image_api_listen,
            port=opts.image_api_listen_port,
            reuse_port=bool(workers and workers > 1))],
        workers)


if __name__ == '__main__':
    sys.exit(main())
