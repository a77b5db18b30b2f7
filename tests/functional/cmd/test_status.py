"""nova-status upgrade check as an operator runs it."""

from __future__ import annotations

import subprocess
import sys

from nova import context as nova_context
from nova import servicegroup
from nova.db.api import services as services_db
from tests.fixtures import database


def run_status(tmp_path, sections):
    conf = tmp_path / 'nova.conf'
    with open(conf, 'w') as handle:
        for section, values in sections.items():
            handle.write(f'[{section}]\n')
            for key, value in values.items():
                handle.write(f'{key} = {value}\n')
    result = subprocess.run(
        [sys.executable, '-m', 'nova.cmd.status', '--config-file',
         str(conf), 'upgrade', 'check'],
        capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout + result.stderr


def test_unsynced_database_is_a_failure(tmp_path):
    with database.provisioned(database.SQLITE, tmp_path) as url:
        code, out = run_status(tmp_path, {'database': {'connection': url}})
    assert code == 2, out
    assert 'nova-manage db sync' in out
    assert 'Traceback' not in out


def test_missing_connection_is_a_failure(tmp_path):
    code, out = run_status(tmp_path, {'DEFAULT': {}})
    assert code == 2, out
    assert 'connection is not set' in out


def test_no_compute_and_noauth_are_warnings(tmp_path):
    with database.provisioned(database.SQLITE, tmp_path) as url:
        database.migrate(url)
        code, out = run_status(tmp_path, {
            'database': {'connection': url},
            'api': {'auth_strategy': 'noauth2'}})
    assert code == 1, out
    assert 'No nova-compute service is registered' in out
    assert 'noauth2' in out


def test_healthy_cloud_passes(tmp_path):
    with database.provisioned(database.SQLITE, tmp_path) as url:
        database.migrate(url)
        with database.in_use(url):
            ctx = nova_context.get_admin_context()
            for binary in ('nova-conductor', 'nova-compute'):
                service = services_db.service_create(ctx, {
                    'host': 'node1', 'binary': binary,
                    'topic': binary[5:],
                    'version': servicegroup.SERVICE_VERSION})
                services_db.service_heartbeat(ctx, service['id'])
        code, out = run_status(tmp_path, {
            'database': {'connection': url},
            'DEFAULT': {'transport_url': 'rabbit://guest:guest@127.0.0.1/'}})
    assert code == 0, out
    assert out.count('Result: Success') == 3
