"""Images, through the image service's Glance v2 API (not the Compute
API's deprecated proxy)."""

from __future__ import annotations

import argparse
import os
import urllib.parse
from typing import Any

from nova.cli import common
from nova.cli import errors

FIELDS = [('ID', 'id'), ('Name', 'name'), ('Status', 'status'),
          ('Disk Format', 'disk_format'), ('Size', 'size'),
          ('Visibility', 'visibility')]


def _glance(body: dict[str, Any], key: str, url: str) -> Any:
    if key not in body:
        raise errors.CommandError(
            f'ERROR: the image endpoint {url} did not answer like a '
            f'Glance v2 API (no "{key}" in its answer)')
    return body[key]


class ImageList(common.Lister):
    """List images (every page)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('--name')
        parser.add_argument('--status')
        parser.add_argument('--limit', type=int,
                            help='At most this many (default: all)')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        params: dict[str, Any] = {'name': parsed_args.name,
                                  'status': parsed_args.status}
        images: list[dict[str, Any]] = []
        while True:
            body = self.client.image('GET', '/v2/images', params=params)
            images.extend(_glance(body, 'images',
                                  self.client.image_endpoint or ''))
            if parsed_args.limit and len(images) >= parsed_args.limit:
                images = images[:parsed_args.limit]
                break
            marker = urllib.parse.parse_qs(urllib.parse.urlsplit(
                body.get('next') or '').query).get('marker')
            if not marker or marker[0] == params.get('marker'):
                break
            params['marker'] = marker[0]
        return ([t for t, _ in FIELDS],
                common.rows(images, [k for _, k in FIELDS]))


class ImageCreate(common.ShowOne):
    """Create an image and upload its data from a file."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='NAME')
        parser.add_argument('--file', required=True, metavar='FILE',
                            help='The disk image to upload')
        parser.add_argument('--disk-format', default='qcow2',
                            help='qcow2 (default), raw, vmdk, iso...')
        parser.add_argument('--container-format', default='bare')
        parser.add_argument('--visibility', default=None,
                            choices=['public', 'private', 'shared',
                                     'community'])
        parser.add_argument('--min-disk', type=int, metavar='GB')
        parser.add_argument('--min-ram', type=int, metavar='MB')
        parser.add_argument('--property', action='append',
                            metavar='KEY=VALUE')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> Any:
        a = parsed_args
        if not os.path.isfile(a.file):
            raise errors.CommandError(f'ERROR: no such file: {a.file}')
        image: dict[str, Any] = {
            'name': a.name, 'disk_format': a.disk_format,
            'container_format': a.container_format}
        for key, value in (('visibility', a.visibility),
                           ('min_disk', a.min_disk),
                           ('min_ram', a.min_ram)):
            if value is not None:
                image[key] = value
        image.update(common.parse_key_values(a.property, '--property'))
        created = self.client.image('POST', '/v2/images', json=image)
        image_id = _glance(created, 'id', self.client.image_endpoint or '')
        try:
            # A file object: requests streams it, nothing is buffered.
            with open(a.file, 'rb') as data:
                self.client.image(
                    'PUT', f'/v2/images/{image_id}/file', data=data,
                    headers={'Content-Type': 'application/octet-stream'})
        except errors.CommandError:
            # Leave no empty (queued) image behind a failed upload.
            try:
                self.client.image('DELETE', f'/v2/images/{image_id}')
            except errors.CommandError:
                pass
            raise
        shown = self.client.image('GET', f'/v2/images/{image_id}')
        return common.show_dict(shown, drop=('file', 'schema', 'self'))


COMMANDS = {'image-list': ImageList, 'image-create': ImageCreate}
