"""The throw-away databases really go away."""

import sqlalchemy as sa

from tests.fixtures import database


def test_server_database_is_dropped(backend, tmp_path):
    with database.provisioned(backend, tmp_path) as url:
        name = sa.make_url(url).database
        database.migrate(url)

    if backend == database.SQLITE:
        assert list(tmp_path.iterdir()) == []
        return
    admin = sa.create_engine(database.admin_url(backend))
    query = ('SELECT schema_name FROM information_schema.schemata'
             if backend == database.MYSQL
             else 'SELECT datname FROM pg_database')
    try:
        with admin.connect() as conn:
            names = set(conn.scalars(sa.text(query)))
    finally:
        admin.dispose()
    assert name not in names
