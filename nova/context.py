"""The request context: who asks, on whose behalf, under which request id.

It is created by the API from the authenticated request, travels with every
RPC message (see ``nova.rpc``) and is the first argument of every database
and manager call.
"""

from __future__ import annotations

import copy
from typing import Any

from oslo_context import context as oslo_context
from oslo_db.sqlalchemy import enginefacade

ADMIN_ROLE = 'admin'


@enginefacade.transaction_context_provider
class RequestContext(oslo_context.RequestContext):
    """Security context and request information for one operation."""

    def __init__(self, user_id: str | None = None,
                 project_id: str | None = None,
                 is_admin: bool | None = None,
                 read_deleted: str = 'no',
                 remote_address: str | None = None,
                 timestamp: str | None = None,
                 **kwargs: Any) -> None:
        if user_id is not None:
            kwargs['user_id'] = user_id
        if project_id is not None:
            kwargs['project_id'] = project_id
        roles = kwargs.setdefault('roles', [])
        if is_admin is None:
            is_admin = ADMIN_ROLE in [r.lower() for r in roles]
        kwargs['is_admin'] = is_admin
        super().__init__(**kwargs)
        self.read_deleted = read_deleted
        self.remote_address = remote_address
        self.timestamp = timestamp

    @property
    def read_deleted(self) -> str:
        return self._read_deleted

    @read_deleted.setter
    def read_deleted(self, value: str) -> None:
        if value not in ('no', 'yes', 'only'):
            raise ValueError(f'read_deleted can only be one of "no", '
                             f'"yes" or "only", not {value!r}')
        self._read_deleted = value

    def to_dict(self) -> dict[str, Any]:
        values = super().to_dict()
        values.update({
            'user_id': self.user_id,
            'project_id': self.project_id,
            'read_deleted': self.read_deleted,
            'remote_address': self.remote_address,
            'timestamp': self.timestamp,
        })
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any],
                  **kwargs: Any) -> RequestContext:
        kwargs.setdefault('read_deleted',
                          values.get('read_deleted', 'no'))
        kwargs.setdefault('remote_address', values.get('remote_address'))
        kwargs.setdefault('timestamp', values.get('timestamp'))
        return super().from_dict(values, **kwargs)

    def elevated(self, read_deleted: str | None = None) -> RequestContext:
        """A copy with admin rights, for internal bookkeeping only."""
        ctx = copy.copy(self)
        ctx.roles = list(self.roles)
        ctx.is_admin = True
        if ADMIN_ROLE not in ctx.roles:
            ctx.roles.append(ADMIN_ROLE)
        if read_deleted is not None:
            ctx.read_deleted = read_deleted
        return ctx


def get_admin_context(read_deleted: str = 'no') -> RequestContext:
    """A context for services acting on their own, not for a user."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          read_deleted=read_deleted, overwrite=False)


def get_context() -> RequestContext:
    """A plain context, for tools that act without a user."""
    return RequestContext(user_id=None, project_id=None, is_admin=False,
                          overwrite=False)
