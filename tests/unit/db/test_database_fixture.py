"""The throw-away database fixture fails loudly without its server."""

import pytest

from tests.fixtures import database


@pytest.mark.parametrize('backend, driver, variable, server', [
    ('mysql', 'pymysql', 'NOVA_TEST_MYSQL_URL', 'MariaDB/MySQL'),
    ('postgresql', 'psycopg2', 'NOVA_TEST_POSTGRESQL_URL', 'PostgreSQL'),
])
def test_missing_server_fails_the_test(monkeypatch, tmp_path, backend,
                                       driver, variable, server):
    # Nothing listens on port 9 (discard) here.
    monkeypatch.setenv(variable,
                       f'{backend}+{driver}://u:secret@127.0.0.1:9/x')

    with pytest.raises(pytest.fail.Exception) as info:
        with database.provisioned(backend, tmp_path):
            pass

    message = str(info.value)
    assert f'The {server} server' in message
    assert 'tools/run-tests' in message
    assert 'secret' not in message


def test_sqlite_file_is_removed(tmp_path):
    with database.provisioned('sqlite', tmp_path) as url:
        database.migrate(url)
        assert list(tmp_path.iterdir())

    assert list(tmp_path.iterdir()) == []
