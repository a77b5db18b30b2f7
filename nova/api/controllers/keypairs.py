"""os-keypairs: list, show, create/import and delete key pairs."""

from __future__ import annotations

from typing import Any

from nova import policy
from nova.api import formats
from nova.api import links
from nova.api import microversion as mv
from nova.api import validation
from nova.api import wsgi
from nova.api.schemas import keypairs as schemas
from nova.compute import keypairs as compute_keypairs

POLICY = 'os_compute_api:os-keypairs:%s'


class KeypairController:

    @validation.query_schema(schemas.index_query, max_version='2.9')
    @validation.query_schema(schemas.index_query_v210, '2.10', '2.34')
    @validation.query_schema(schemas.index_query_v235, mv.KEYPAIR_PAGING)
    def index(self, req: wsgi.Request) -> dict[str, Any]:
        context = req.context
        user_id = self._user_id(req)
        policy.authorize(context, POLICY % 'index',
                         target={'user_id': user_id})
        paging = req.is_at_least(mv.KEYPAIR_PAGING)
        limit = links.limit_from(req) if paging else None
        keypairs = compute_keypairs.list_keypairs(
            context, user_id, limit=limit,
            marker=req.GET.get('marker') if paging else None)
        result: dict[str, Any] = {'keypairs': [
            {'keypair': self._summary(req, keypair)}
            for keypair in keypairs]}
        if paging:
            next_links = links.next_link(req, 'os-keypairs', keypairs,
                                         limit, marker_key='name')
            if next_links:
                result['keypairs_links'] = next_links
        return result

    @validation.query_schema(schemas.index_query, max_version='2.9')
    @validation.query_schema(schemas.show_query_v210, mv.KEYPAIR_USER_ID)
    def show(self, req: wsgi.Request, id: str) -> dict[str, Any]:
        context = req.context
        user_id = self._user_id(req)
        policy.authorize(context, POLICY % 'show',
                         target={'user_id': user_id})
        keypair = compute_keypairs.get_keypair(context, user_id, id)
        body = self._summary(req, keypair)
        body.update({
            'user_id': keypair['user_id'],
            'deleted': False,
            'created_at': formats.isotime_us(keypair.get('created_at')),
            'updated_at': formats.isotime_us(keypair.get('updated_at')),
            'deleted_at': None,
            'id': keypair['id'],
        })
        return {'keypair': body}

    @validation.schema(schemas.create, max_version='2.1')
    @validation.schema(schemas.create_v22, mv.KEYPAIR_TYPE, '2.9')
    @validation.schema(schemas.create_v210, mv.KEYPAIR_USER_ID, '2.91')
    @validation.schema(schemas.create_v292, mv.KEYPAIR_IMPORT_ONLY)
    def create(self, req: wsgi.Request, body: Any) -> wsgi.ResponseObject:
        context = req.context
        values = body['keypair']
        user_id = values.get('user_id') or context.user_id
        policy.authorize(context, POLICY % 'create',
                         target={'user_id': user_id})
        key_type = values.get('type', compute_keypairs.SSH)
        if values.get('public_key') is not None:
            keypair = compute_keypairs.import_keypair(
                context, user_id, values['name'], values['public_key'],
                key_type)
        else:
            keypair = compute_keypairs.generate_keypair(
                context, user_id, values['name'], key_type)
        view = self._summary(req, keypair)
        view['user_id'] = keypair['user_id']
        if 'private_key' in keypair:
            view['private_key'] = keypair['private_key']
        status = 201 if req.is_at_least(mv.KEYPAIR_TYPE) else 200
        return wsgi.ResponseObject({'keypair': view}, status=status)

    @validation.query_schema(schemas.index_query, max_version='2.9')
    @validation.query_schema(schemas.show_query_v210, mv.KEYPAIR_USER_ID)
    def delete(self, req: wsgi.Request, id: str) -> wsgi.ResponseObject:
        context = req.context
        user_id = self._user_id(req)
        policy.authorize(context, POLICY % 'delete',
                         target={'user_id': user_id})
        compute_keypairs.delete_keypair(context, user_id, id)
        status = 204 if req.is_at_least(mv.KEYPAIR_TYPE) else 202
        return wsgi.ResponseObject(None, status=status)

    @staticmethod
    def _user_id(req: wsgi.Request) -> str:
        """The owner asked about: ``user_id`` from 2.10, else the caller.
        """
        if req.is_at_least(mv.KEYPAIR_USER_ID) and req.GET.get('user_id'):
            return req.GET['user_id']
        return req.context.user_id

    @staticmethod
    def _summary(req: wsgi.Request, keypair: dict[str, Any]
                 ) -> dict[str, Any]:
        body = {'name': keypair['name'],
                'public_key': keypair['public_key'],
                'fingerprint': keypair['fingerprint']}
        if req.is_at_least(mv.KEYPAIR_TYPE):
            body['type'] = keypair['type']
        return body
