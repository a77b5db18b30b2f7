"""The enginefacade switch and the migration helpers."""

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova import exception
from nova.db import engine
from nova.db import migration
from tests.fixtures import database


def _database_name(context):
    @engine.reader
    def name(context):
        return context.session.scalar(sa.text(
            "SELECT file FROM pragma_database_list WHERE name = 'main'"))
    return name(context)


def test_use_database_switches_decorated_functions(tmp_path):
    from nova import context as nova_context
    ctxt = nova_context.get_admin_context()
    first, second = tmp_path / 'a.sqlite', tmp_path / 'b.sqlite'

    with database.in_use(f'sqlite:///{first}'):
        assert _database_name(ctxt) == str(first)
        assert cfg.CONF.database.connection == f'sqlite:///{first}'
        restore = engine.use_database(f'sqlite:///{second}')
        assert _database_name(ctxt) == str(second)
        assert str(engine.get_engine().url).endswith('b.sqlite')
        restore()
        assert _database_name(ctxt) == str(first)
    assert cfg.CONF.database.connection is None


def test_configure_requires_a_connection(monkeypatch):
    monkeypatch.setattr(engine, '_configured', False)
    conf = cfg.ConfigOpts()
    conf.register_opt(cfg.StrOpt('connection'), group='database')
    conf([])

    with pytest.raises(exception.Invalid, match='connection'):
        engine.configure(conf)


@pytest.mark.parametrize('column_type, inspected, declared, expected', [
    (sa.Boolean(), "'0'", 'false', False),    # MySQL's respelling
    (sa.Boolean(), '0', "'0'", False),
    (sa.Boolean(), 'true', '1', False),
    (sa.Boolean(), "'1'", 'false', True),     # a real change
    (sa.Boolean(), None, 'false', None),      # left to alembic
    (sa.Integer(), "'0'", '0', None),
])
def test_compare_server_default(column_type, inspected, declared, expected):
    column = sa.Column('c', column_type)

    assert migration.compare_server_default(
        None, column, column, inspected, None, declared) is expected


def test_head_is_the_only_revision():
    assert migration.head() == 'e092fe12dbe3'
