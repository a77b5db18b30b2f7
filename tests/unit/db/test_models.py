"""Rules every model must keep, whatever the backend."""

import pytest
import sqlalchemy as sa

from nova.db import models

TABLES = sorted(models.Base.metadata.tables.values(), key=lambda t: t.name)
# PostgreSQL truncates identifiers at 63 characters, MySQL refuses > 64.
MAX_NAME = 63


def _ids(tables):
    return [t.name for t in tables]


@pytest.mark.parametrize('table', TABLES, ids=_ids(TABLES))
def test_names_fit_every_backend(table):
    names = [c.name for c in table.constraints] + [
        i.name for i in table.indexes]
    assert all(names), f'unnamed constraint or index on {table.name}'
    too_long = [n for n in names if len(n) > MAX_NAME]
    assert not too_long


@pytest.mark.parametrize('table', TABLES, ids=_ids(TABLES))
def test_indexed_strings_fit_mysql_key_limits(table):
    # utf8mb4 takes 4 bytes a character; InnoDB keys stop at 3072 bytes.
    keyed = [list(c.columns) for c in table.constraints
             if isinstance(c, (sa.UniqueConstraint,
                               sa.PrimaryKeyConstraint))]
    keyed += [list(i.columns) for i in table.indexes]
    for columns in keyed:
        lengths = [c.type.length for c in columns
                   if isinstance(c.type, sa.String)]
        assert all(length and length <= 255 for length in lengths), columns
        assert sum(lengths) * 4 <= 3072, columns


@pytest.mark.parametrize('table', TABLES, ids=_ids(TABLES))
def test_foreign_keys_are_indexed(table):
    # MySQL would add an implicit index the migrations do not know about;
    # PostgreSQL would scan the child table on every parent delete.
    leading = {c.columns[0].name for c in table.constraints
               if isinstance(c, (sa.UniqueConstraint,
                                 sa.PrimaryKeyConstraint))}
    leading |= {list(i.columns)[0].name for i in table.indexes}
    for fk in table.foreign_keys:
        assert fk.parent.name in leading, fk


@pytest.mark.parametrize('table', TABLES, ids=_ids(TABLES))
def test_mysql_options(table):
    assert table.kwargs == {'mysql_engine': 'InnoDB',
                            'mysql_charset': 'utf8mb4'}


SOFT_DELETED = {'instances', 'instance_metadata', 'instance_system_metadata',
                'instance_extra', 'instance_faults', 'instance_actions',
                'instance_actions_events', 'migrations', 'images'}


@pytest.mark.parametrize('table', TABLES, ids=_ids(TABLES))
def test_soft_delete_only_where_intended(table):
    has = {'deleted', 'deleted_at'} <= set(table.c.keys())
    assert has == (table.name in SOFT_DELETED)
    if has:
        assert not table.c.deleted.nullable


@pytest.mark.parametrize('table', [t for t in TABLES if t.name != 'tags'],
                         ids=_ids(t for t in TABLES if t.name != 'tags'))
def test_timestamps(table):
    assert {'created_at', 'updated_at'} <= set(table.c.keys())


def test_to_dict_has_every_column():
    flavor = models.Flavor(flavorid='1', name='tiny', memory_mb=1, vcpus=1)

    values = flavor.to_dict()

    assert set(values) == set(models.Flavor.__table__.c.keys())
    assert values['name'] == 'tiny'
