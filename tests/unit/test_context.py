"""The request context and its journey through RPC serialisation."""

import pytest

from nova import context
from nova import rpc


def make_context(**overrides):
    values = dict(user_id='alice', project_id='p1', roles=['member'],
                  global_request_id='req-' + 'a' * 36)
    values.update(overrides)
    return context.RequestContext(**values)


def test_carries_identity_and_request_ids():
    ctx = make_context()
    assert ctx.user_id == 'alice'
    assert ctx.project_id == 'p1'
    assert ctx.roles == ['member']
    assert ctx.request_id.startswith('req-')
    assert ctx.global_request_id == 'req-' + 'a' * 36
    assert not ctx.is_admin


def test_admin_role_makes_admin():
    assert make_context(roles=['reader', 'Admin']).is_admin


def test_round_trip_through_rpc_serializer():
    ctx = make_context(remote_address='192.0.2.1')
    serializer = rpc.RequestContextSerializer()
    wire = serializer.serialize_context(ctx)
    back = serializer.deserialize_context(wire)
    for attr in ('user_id', 'project_id', 'roles', 'request_id',
                 'global_request_id', 'is_admin', 'read_deleted',
                 'remote_address'):
        assert getattr(back, attr) == getattr(ctx, attr), attr


def test_elevated_is_a_copy():
    ctx = make_context()
    admin = ctx.elevated(read_deleted='yes')
    assert admin.is_admin and 'admin' in admin.roles
    assert admin.read_deleted == 'yes'
    assert not ctx.is_admin and ctx.roles == ['member']
    assert ctx.read_deleted == 'no'


def test_read_deleted_is_checked():
    with pytest.raises(ValueError):
        make_context(read_deleted='maybe')


def test_admin_context_has_no_user():
    ctx = context.get_admin_context()
    assert ctx.is_admin and ctx.user_id is None


def test_payload_serializer_makes_primitives():
    import datetime
    serializer = rpc.RequestContextSerializer()
    when = datetime.datetime(2026, 1, 2, 3, 4, 5)
    out = serializer.serialize_entity(None, {'at': when, 's': {1}})
    assert out == {'at': '2026-01-02T03:04:05.000000', 's': [1]}
