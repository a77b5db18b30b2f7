"""The declarative base, shared column types and mixins.

Conventions every model follows:

- Table and column names are upstream Nova's wherever the concept is the
  same, so an operator recognises them in the database.
- Every constraint and index has an explicit name (the naming convention
  below fills in the few we do not spell out), so that migrations can drop
  or alter them by name on every backend.
- Indexed or unique strings are at most 255 characters: MySQL's utf8mb4
  uses four bytes a character and InnoDB caps index keys at 3072 bytes.
- Timestamps are naive UTC ``datetime`` objects.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

NAMING_CONVENTION = {
    'ix': '%(table_name)s_%(column_0_N_name)s_idx',
    'uq': 'uniq_%(table_name)s0%(column_0_N_name)s',
    'fk': '%(table_name)s_%(column_0_name)s_fkey',
    'pk': '%(table_name)s_pkey',
    'ck': '%(table_name)s_%(constraint_name)s_ck',
}

# Options for every table on MySQL/MariaDB: transactions and foreign keys
# need InnoDB, and utf8mb4 stores any Unicode text users send us.
MYSQL_TABLE_ARGS: dict[str, Any] = {
    'mysql_engine': 'InnoDB',
    'mysql_charset': 'utf8mb4',
}

# MySQL's DATETIME drops fractions of a second unless asked to keep them;
# keep them, so that every backend returns what was stored and orders
# rows created within one second.
DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql',
                                      'mariadb')

# user_data and similar blobs may exceed TEXT's 64 KiB on MySQL.
MediumText = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql', 'mariadb')


def table_args(*constraints: Any) -> tuple[Any, ...]:
    """``__table_args__`` with the MySQL table options appended."""
    return (*constraints, dict(MYSQL_TABLE_ARGS))


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

    def to_dict(self) -> dict[str, Any]:
        """Column values by attribute name; relationships are left out."""
        mapper = sa.inspect(type(self))
        return {attr.key: getattr(self, attr.key)
                for attr in mapper.column_attrs}


class TimestampMixin:
    created_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime, default=timeutils.utcnow)
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime, onupdate=timeutils.utcnow)


class SoftDeleteMixin:
    """Rows the API must still show after deletion.

    ``deleted`` is 0 for a live row and the row's own id once deleted, so
    a unique constraint that includes ``deleted`` lets a new live row reuse
    a name while any number of deleted rows keep theirs. (Rows keyed by a
    string, i.e. images, use 1.)
    """

    deleted: Mapped[int] = mapped_column(
        sa.Integer, default=0, server_default=sa.text('0'))
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)


def false_default() -> sa.ColumnElement[bool]:
    """A boolean ``false`` server default each backend spells its own way
    (``false`` on PostgreSQL, ``0`` on MySQL and SQLite)."""
    return sa.false()


def true_default() -> sa.ColumnElement[bool]:
    return sa.true()
