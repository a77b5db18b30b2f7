"""Networks of the built-in address manager and their fixed IPs.

A fixed IP row exists only while its address is taken (allocated to an
instance or reserved); releasing deletes it. Allocation picks the first
free host address and INSERTs it: the unique (network_id, address)
constraint, not a lock, decides between racing allocators, and the loser
moves on to the next address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_utils import uuidutils

from nova import exception
from nova.db import engine
from nova.db import models
from nova.db.api import utils


def _get(context: Any, network_id: int) -> models.Network:
    network = context.session.get(models.Network, network_id)
    if network is None:
        raise exception.NetworkNotFound(network_id=network_id)
    return network


def _parse_network(
        cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(cidr, strict=True)
    except ValueError as exc:
        raise exception.Invalid(reason=f'bad CIDR {cidr!r}: {exc}') from exc


@engine.writer
def network_create(context: Any, values: Mapping[str, Any]
                   ) -> dict[str, Any]:
    """Create a network from ``cidr`` (and ``label``, ``gateway``...).

    The gateway defaults to the first host address of the CIDR.
    """
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    net = _parse_network(values.get('cidr') or '')
    values['cidr'] = str(net)
    if values.get('gateway') is None and net.num_addresses > 2:
        values['gateway'] = str(next(net.hosts()))
    network = models.Network(**values)
    context.session.add(network)
    utils.flush(context.session,
                lambda: exception.NetworkExists(network_id=values['uuid']))
    return network.to_dict()


@engine.reader
def network_get(context: Any, network_id: int) -> dict[str, Any]:
    return _get(context, network_id).to_dict()


@engine.reader
def network_get_by_uuid(context: Any, uuid: str) -> dict[str, Any]:
    network = context.session.scalars(
        sa.select(models.Network).where(models.Network.uuid == uuid)).first()
    if network is None:
        raise exception.NetworkNotFound(network_id=uuid)
    return network.to_dict()


@engine.reader
def network_get_all(context: Any, project_id: str | None = None
                    ) -> list[dict[str, Any]]:
    """All networks, or those a project may use: its own and shared ones
    (``project_id`` NULL)."""
    table = models.Network
    stmt = sa.select(table).order_by(table.id)
    if project_id is not None:
        stmt = stmt.where(sa.or_(table.project_id == project_id,
                                 table.project_id.is_(None)))
    return utils.rows_to_dicts(context.session.scalars(stmt).all())


@engine.writer
def network_delete(context: Any, network_id: int) -> None:
    """Delete a network that no instance has an address on."""
    _get(context, network_id)
    table = models.FixedIp
    in_use = context.session.scalar(
        sa.select(sa.func.count(table.id))
        .where(table.network_id == network_id, table.allocated.is_(True)))
    if in_use:
        raise exception.Conflict(
            reason=f'network {network_id} has {in_use} fixed IPs in use')
    context.session.execute(sa.delete(table)
                            .where(table.network_id == network_id))
    context.session.execute(sa.delete(models.Network)
                            .where(models.Network.id == network_id))


def _candidates(network: models.Network) -> Iterator[str]:
    """Host addresses of the network, gateway excluded, in order."""
    for address in _parse_network(network.cidr).hosts():
        if str(address) != network.gateway:
            yield str(address)


def _normalise(network: models.Network, address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError as exc:
        raise exception.Invalid(reason=f'bad IP address {address!r}') from exc
    if parsed not in _parse_network(network.cidr):
        raise exception.Invalid(
            reason=f'{address} is not in network {network.cidr}')
    return str(parsed)


def _insert(context: Any, values: dict[str, Any]) -> models.FixedIp:
    """INSERT one address in a savepoint; DBDuplicateEntry if taken.

    The savepoint keeps the enclosing transaction usable after a
    duplicate (PostgreSQL aborts the whole transaction otherwise).
    """
    row = models.FixedIp(**values)
    with context.session.begin_nested():
        context.session.add(row)
    return row


@utils.retry_on_deadlock
@engine.writer
def fixed_ip_allocate(context: Any, network_id: int, instance_uuid: str,
                      address: str | None = None) -> dict[str, Any]:
    """Give the instance an address of the network (``address`` if given).

    Raises ``FixedIpAlreadyInUse`` when the requested address is taken and
    ``NoMoreFixedIps`` when the network is full.
    """
    network = _get(context, network_id)
    values = {'network_id': network_id, 'instance_uuid': instance_uuid,
              'allocated': True}
    if address is not None:
        address = _normalise(network, address)
        try:
            return _insert(context, {**values, 'address': address}).to_dict()
        except db_exc.DBDuplicateEntry as exc:
            raise exception.FixedIpAlreadyInUse(
                address=address, network_id=network_id) from exc
    taken = set(context.session.scalars(
        sa.select(models.FixedIp.address)
        .where(models.FixedIp.network_id == network_id)))
    for candidate in _candidates(network):
        if candidate in taken:
            continue
        try:
            return _insert(context,
                           {**values, 'address': candidate}).to_dict()
        except db_exc.DBDuplicateEntry:
            # Taken since we looked: another allocator won this one.
            continue
    raise exception.NoMoreFixedIps(network_id=network_id)


@engine.writer
def fixed_ip_reserve(context: Any, network_id: int, address: str
                     ) -> dict[str, Any]:
    """Keep an address out of allocation (e.g. a router's)."""
    network = _get(context, network_id)
    address = _normalise(network, address)
    try:
        return _insert(context, {'network_id': network_id,
                                 'address': address,
                                 'reserved': True}).to_dict()
    except db_exc.DBDuplicateEntry as exc:
        raise exception.FixedIpAlreadyInUse(
            address=address, network_id=network_id) from exc


def _by_address(context: Any, network_id: int, address: str
                ) -> models.FixedIp:
    row = context.session.scalars(
        sa.select(models.FixedIp)
        .where(models.FixedIp.network_id == network_id,
               models.FixedIp.address == address)).first()
    if row is None:
        raise exception.FixedIpNotFound(address=address,
                                        network_id=network_id)
    return row


@engine.writer
def fixed_ip_release(context: Any, network_id: int, address: str) -> None:
    """Make an allocated or reserved address free again."""
    row = _by_address(context, network_id, address)
    context.session.delete(row)
    context.session.flush()


@engine.writer
def fixed_ips_release_by_instance(context: Any, instance_uuid: str) -> int:
    """Free every address of an instance; returns how many."""
    return context.session.execute(
        sa.delete(models.FixedIp)
        .where(models.FixedIp.instance_uuid == instance_uuid)).rowcount


@engine.reader
def fixed_ip_get_by_instance(context: Any, instance_uuid: str
                             ) -> list[dict[str, Any]]:
    """An instance's addresses, each with ``network_uuid`` and
    ``network_label`` for building the API's ``addresses``."""
    rows = context.session.execute(
        sa.select(models.FixedIp, models.Network.uuid, models.Network.label)
        .join(models.Network)
        .where(models.FixedIp.instance_uuid == instance_uuid)
        .order_by(models.FixedIp.id))
    return [{**fixed_ip.to_dict(), 'network_uuid': uuid,
             'network_label': label} for fixed_ip, uuid, label in rows]


@engine.reader
def fixed_ip_get_by_address(context: Any, network_id: int, address: str
                            ) -> dict[str, Any]:
    return _by_address(context, network_id, address).to_dict()


@engine.reader
def fixed_ip_get_by_network(context: Any, network_id: int
                            ) -> list[dict[str, Any]]:
    return utils.rows_to_dicts(context.session.scalars(
        sa.select(models.FixedIp)
        .where(models.FixedIp.network_id == network_id)
        .order_by(models.FixedIp.id)).all())


@engine.writer
def fixed_ip_update(context: Any, network_id: int, address: str,
                    values: Mapping[str, Any]) -> dict[str, Any]:
    """Change ``leased`` (DHCP) or similar flags of a taken address."""
    row = _by_address(context, network_id, address)
    for key, value in values.items():
        setattr(row, key, value)
    context.session.flush()
    return row.to_dict()
