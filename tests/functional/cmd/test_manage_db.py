"""``nova-manage db`` as an operator runs it: a subprocess, real files."""

import subprocess
import sys

import pytest

from nova.db import migration
from tests.fixtures import database


def nova_manage(*args, config=None, timeout=120):
    argv = [sys.executable, '-m', 'nova.cmd.manage']
    if config is not None:
        argv += ['--config-file', str(config)]
    return subprocess.run(argv + list(args), capture_output=True,
                          text=True, timeout=timeout)


def write_config(tmp_path, connection=None, **database_options):
    lines = ['[DEFAULT]', 'debug = false', '[database]']
    if connection is not None:
        lines.append(f'connection = {connection}')
    lines += [f'{key} = {value}' for key, value in database_options.items()]
    path = tmp_path / 'nova.conf'
    path.write_text('\n'.join(lines) + '\n')
    return path


def assert_clean_error(result, *fragments):
    assert result.returncode == 1, result
    assert 'Traceback' not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.mark.parametrize('backend', database.backend_params(
    database.SQLITE, database.POSTGRESQL, database.MYSQL))
def test_sync_then_version(empty_database, tmp_path):
    config = write_config(tmp_path, empty_database)

    before = nova_manage('db', 'version', config=config)
    synced = nova_manage('db', 'sync', config=config)
    after = nova_manage('db', 'version', config=config)
    again = nova_manage('db', 'sync', migration.head(), config=config)

    assert (before.returncode, before.stdout) == (0, 'None\n'), before
    assert synced.returncode == 0, synced
    assert synced.stdout == ''
    assert (after.returncode, after.stdout) == (
        0, migration.head() + '\n'), after
    assert again.returncode == 0, again


def test_downgrade_and_unknown_revisions_are_refused(empty_database,
                                                     tmp_path):
    config = write_config(tmp_path, empty_database)
    assert nova_manage('db', 'sync', config=config).returncode == 0

    assert_clean_error(nova_manage('db', 'sync', 'base', config=config),
                       'downgrading is not supported')
    assert_clean_error(nova_manage('db', 'sync', 'nope', config=config),
                       "'nope'")


@pytest.mark.parametrize('action', ['sync', 'version'])
def test_no_database_configured(tmp_path, action):
    result = nova_manage('db', action, config=write_config(tmp_path))

    assert_clean_error(result, '[database] connection')


def test_missing_config_file(tmp_path):
    result = nova_manage('db', 'sync', config=tmp_path / 'absent.conf')

    assert_clean_error(result, 'absent.conf')


def test_unreachable_database_server(tmp_path):
    # Nothing listens on port 9 (discard) here; fail fast, clearly.
    config = write_config(
        tmp_path, 'postgresql+psycopg2://nobody:secret@127.0.0.1:9/nova',
        max_retries=1, retry_interval=0)

    result = nova_manage('db', 'sync', config=config)

    assert_clean_error(result, 'cannot use the database')
    assert 'secret' not in result.stderr


def test_usage_errors():
    no_action = nova_manage('db')
    unknown = nova_manage('dbx', 'sync')
    helped = nova_manage('db', 'sync', '--help')

    assert no_action.returncode == 1
    assert 'ACTION' in no_action.stderr
    assert unknown.returncode == 1
    assert helped.returncode == 0
    assert 'VERSION' in helped.stdout
