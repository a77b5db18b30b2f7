"""The ``nova`` CLI as a subprocess against the embedded default.

One ``python -m nova.cmd.all`` per module (noauth2, fake driver); every
test runs the CLI the way a user does and checks its output and exit
code. Server actions that are not served yet must end in the server's
fault and exit 1, never a traceback.
"""

from __future__ import annotations

import json
import os
import pathlib
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.multiprocess import daemons

PAGE = 2


class Cli:
    def __init__(self, workdir: pathlib.Path, port: int) -> None:
        self.workdir = workdir
        self.endpoint = f'http://127.0.0.1:{port}/v2.1'

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(('OS_', 'NOVA_'))}
        env.update(HOME=str(self.workdir), NOVA_ENDPOINT=self.endpoint,
                   OS_TOKEN='admin:admin')
        env.update(extra)
        return env

    def run(self, *args: str, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, '-m', 'nova.cli.shell', *args],
            capture_output=True, text=True, env=env or self.env(),
            timeout=timeout, check=False, cwd=self.workdir)

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, (
            f'nova {" ".join(args)} exited {result.returncode}:\n'
            f'{result.stdout}\n{result.stderr}')
        assert 'Traceback' not in result.stderr
        return result.stdout

    def json(self, *args: str) -> object:
        return json.loads(self.ok(*args, '-f', 'json'))

    def fails(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode != 0, result.stdout
        assert 'Traceback' not in result.stderr + result.stdout
        return result.stderr


@pytest.fixture(scope='module')
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    workdir = tmp_path_factory.mktemp('nova-cli')
    # Small pages, so that listings need the CLI to follow links.
    with daemons.nova_all(workdir, {'api': {'max_limit': PAGE}}) as (
            port, _config):
        yield Cli(workdir, port)


@pytest.fixture(scope='module')
def server(cli: Cli) -> Iterator[dict]:
    """One ACTIVE server booted with ``boot --poll`` for the module."""
    result = cli.run('boot', '--flavor', 'm1.tiny', '--image', 'default',
                     '--meta', 'role=web', '--poll', 'cli-vm1',
                     '-f', 'json')
    assert result.returncode == 0, result.stderr
    assert 'Finished' in result.stderr
    booted = json.loads(result.stdout)
    yield booted
    cli.run('delete', '--wait', booted['id'])


def test_boot_poll_reaches_active(server: dict) -> None:
    assert server['status'] == 'ACTIVE'
    assert server['name'] == 'cli-vm1'
    assert server['metadata'] == {'role': 'web'}
    assert server['adminPass']
    # json keeps the API's structure; tables flatten it.
    assert server['addresses']['private'][0]['addr'].startswith('192.168.')


def test_list_table_and_json(cli: Cli, server: dict) -> None:
    table = cli.ok('list')
    assert '| ID ' in table and '| Networks' in table
    assert server['id'] in table and 'private=192.168.' in table
    servers = cli.json('list')
    row = next(s for s in servers if s['ID'] == server['id'])
    assert row['Status'] == 'ACTIVE' and row['Power State'] == 'Running'
    names = cli.ok('list', '--name', 'cli-vm1', '-f', 'value', '-c', 'Name')
    assert names.split() == ['cli-vm1']


def test_list_follows_next_links(cli: Cli, server: dict) -> None:
    # Two more servers: three in all need two pages of PAGE (2).
    ids = []
    for name in ('cli-page-a', 'cli-page-b'):
        ids.append(cli.json('boot', '--flavor', '1', '--image', 'default',
                            '--nic', 'none', name)['id'])
    try:
        everyone = {s['ID'] for s in cli.json('list')}
        assert {server['id'], *ids} <= everyone
        assert len(everyone) > PAGE
        # --limit caps the total; the CLI still pages under it.
        assert len(cli.json('list', '--limit', '3')) == 3
        assert len(cli.json('flavor-list')) > PAGE
    finally:
        cli.ok('delete', '--wait', *ids)
    assert not {s['ID'] for s in cli.json('list')} & set(ids)


def test_show_by_name_and_id(cli: Cli, server: dict) -> None:
    by_name = cli.json('show', 'cli-vm1')
    assert by_name['id'] == server['id']
    table = cli.ok('show', server['id'])
    assert 'private=192.168.' in table and 'OS-EXT-STS:vm_state' in table


def test_unknown_server_is_the_fault_with_request_id(cli: Cli) -> None:
    stderr = cli.fails('show', 'no-such-server')
    assert 'ERROR (NotFound): Instance no-such-server could not be found.' \
        in stderr
    assert '(HTTP 404) (Request-ID: req-' in stderr


def test_delete_unknown_server_fails(cli: Cli) -> None:
    stderr = cli.fails('delete', 'no-such-server')
    assert 'could not be found' in stderr


def test_action_is_sent_and_errors_are_clean(cli: Cli, server: dict
                                             ) -> None:
    # Served or not, an action ends in acceptance or in the server's
    # fault (HTTP 4xx with the request id), exit code 0 or 1.
    result = cli.run('pause', server['id'])
    if result.returncode == 0:
        assert 'Request to pause server' in result.stdout
        cli.ok('unpause', server['id'])
    else:
        assert result.returncode == 1
        assert '(HTTP 4' in result.stderr and 'Request-ID' in result.stderr
        assert 'Traceback' not in result.stderr
    # An action on a server that does not exist: the lookup's 404.
    assert 'could not be found' in cli.fails('reboot', '--hard', 'nope')


def test_flavor_commands(cli: Cli) -> None:
    names = [f['Name'] for f in cli.json('flavor-list')]
    assert names[:2] == ['m1.tiny', 'm1.small']
    created = cli.json('flavor-create', 'cli.flavor', 'auto', '256', '1',
                       '1', '--is-public', 'false')
    try:
        assert created['ram'] == 256
        assert created['os-flavor-access:is_public'] is False
        cli.ok('flavor-key', 'cli.flavor', 'set', 'hw:cpu_policy=shared')
        shown = cli.json('flavor-show', 'cli.flavor')
        assert shown['extra_specs'] == {'hw:cpu_policy': 'shared'}
        access = cli.json('flavor-access-add', 'cli.flavor', 'demo')
        assert {'Flavor ID': created['id'], 'Tenant ID': 'demo'} in access
        assert 'cli.flavor' in cli.ok('flavor-list', '--all')
    finally:
        cli.ok('flavor-delete', 'cli.flavor')
    assert 'could not be found' in cli.fails('flavor-show', 'cli.flavor')


def test_keypair_commands(cli: Cli, tmp_path: pathlib.Path) -> None:
    generated = cli.json('keypair-add', 'cli-gen')
    assert generated['private_key'].startswith('-----BEGIN')
    pub = tmp_path / 'id.pub'
    pub.write_text(generated['public_key'])
    imported = cli.json('keypair-add', 'cli-imp', '--pub-key', str(pub))
    assert imported['fingerprint'] == generated['fingerprint']
    listed = {k['Name'] for k in cli.json('keypair-list')}
    assert {'cli-gen', 'cli-imp'} <= listed
    assert cli.json('keypair-show', 'cli-imp')['name'] == 'cli-imp'
    cli.ok('keypair-delete', 'cli-gen', 'cli-imp')
    assert not {'cli-gen', 'cli-imp'} & {
        k['Name'] for k in cli.json('keypair-list')}
    assert 'ERROR (NotFound)' in cli.fails('keypair-show', 'cli-gen')


def test_server_group_commands(cli: Cli) -> None:
    group = cli.json('server-group-create', 'cli-group', 'anti-affinity')
    assert group['policy'] == 'anti-affinity'
    # More groups than a page (offset paging, no links): all are listed.
    extra = [cli.json('server-group-create', f'cli-group-{n}',
                      'affinity')['id'] for n in range(PAGE)]
    listed = cli.ok('server-group-list')
    assert 'cli-group' in listed and 'cli-group-1' in listed
    assert cli.json('server-group-show', 'cli-group-1')['id'] == extra[1]
    cli.ok('server-group-delete', *extra)
    assert cli.json('server-group-show', 'cli-group')['id'] == group['id']
    cli.ok('server-group-delete', 'cli-group')
    assert 'cli-group' not in cli.ok('server-group-list')


def test_service_commands(cli: Cli) -> None:
    services = cli.json('service-list')
    assert {s['Binary'] for s in services} == {
        'nova-conductor', 'nova-scheduler', 'nova-compute'}
    compute = next(s for s in services if s['Binary'] == 'nova-compute')
    disabled = cli.json('service-disable', compute['Host'], 'nova-compute',
                        '--reason', 'maintenance')
    assert disabled['status'] == 'disabled'
    assert disabled['disabled_reason'] == 'maintenance'
    enabled = cli.json('service-enable', compute['Id'])
    assert enabled['status'] == 'enabled'


def test_quotas_limits_and_versions(cli: Cli, server: dict) -> None:
    quotas = {q['Quota']: q['Limit'] for q in cli.json('quota-show')}
    assert quotas['instances'] > 0
    defaults = {q['Quota'] for q in cli.json('quota-defaults')}
    assert 'cores' in defaults
    limits = {row['Name']: row for row in cli.json('limits')}
    assert limits['Instances']['Used'] >= 1
    assert limits['RAM']['Max'] > 0
    versions = cli.json('version-list')
    assert any(v['Status'] == 'CURRENT' for v in versions)


def test_admin_views(cli: Cli, server: dict) -> None:
    hypervisors = cli.json('hypervisor-list')
    assert hypervisors
    stats = cli.json('hypervisor-stats')
    assert stats['count'] == len(hypervisors)
    zones = cli.json('availability-zone-list')
    assert 'nova' in {z['Name'] for z in zones}
    assert isinstance(cli.json('migration-list'), list)
    actions = cli.json('instance-action-list', server['id'])
    assert 'create' in {a['Action'] for a in actions}
    usage = cli.json('usage-list')
    assert any(u['Tenant ID'] == 'admin' for u in usage)


def test_microversion_option(cli: Cli) -> None:
    # At 2.1 the flavor is a link, at 2.47+ a copy; both must print.
    old = cli.run('--os-compute-api-version', '2.1', 'flavor-show', '1')
    assert old.returncode == 0, old.stderr
    too_new = cli.run('--os-compute-api-version', '9.9', 'flavor-list')
    assert too_new.returncode == 1
    assert 'outside what this client supports' in too_new.stderr


def test_connection_refused_is_one_line(cli: Cli) -> None:
    env = cli.env(NOVA_ENDPOINT=f'http://127.0.0.1:{daemons.free_port()}'
                                '/v2.1')
    result = cli.run('list', env=env)
    assert result.returncode == 1
    assert 'cannot reach' in result.stderr
    assert 'Traceback' not in result.stderr


def test_endpoint_without_version_path(cli: Cli) -> None:
    root = cli.endpoint.rsplit('/', 1)[0]
    result = cli.run('flavor-list', env=cli.env(NOVA_ENDPOINT=root + '/'))
    assert result.returncode == 0, result.stderr
    assert 'm1.tiny' in result.stdout


def test_no_credentials_is_a_clear_error(cli: Cli) -> None:
    env = cli.env()
    del env['NOVA_ENDPOINT']
    result = cli.run('list', env=env)
    assert result.returncode == 1
    assert 'no credentials' in result.stderr


def test_clouds_yaml(cli: Cli) -> None:
    clouds = cli.workdir / 'clouds.yaml'
    clouds.write_text(
        'clouds:\n'
        '  embedded:\n'
        '    auth_type: admin_token\n'
        '    auth:\n'
        f'      endpoint: {cli.endpoint}\n'
        '      token: "admin:admin"\n')
    env = cli.env(OS_CLIENT_CONFIG_FILE=str(clouds))
    del env['NOVA_ENDPOINT']
    result = cli.run('--os-cloud', 'embedded', 'flavor-list', '-f', 'json',
                     env=env)
    assert result.returncode == 0, result.stderr
    assert 'm1.tiny' in {f['Name'] for f in json.loads(result.stdout)}
    # The image endpoint: beside the compute one by default, or where
    # image_endpoint_override says (here: nowhere useful, a clean error).
    images = cli.run('--os-cloud', 'embedded', 'image-list', '-f', 'json',
                     env=env)
    assert images.returncode == 0, images.stderr
    assert 'default' in {i['Name'] for i in json.loads(images.stdout)}
    root = cli.endpoint.rsplit('/', 1)[0]
    clouds.write_text(clouds.read_text() +
                      f'    image_endpoint_override: {root}/elsewhere\n')
    moved = cli.run('--os-cloud', 'embedded', 'image-list', env=env)
    assert moved.returncode == 1
    assert f'{root}/elsewhere/v2/images' in moved.stderr


def test_image_create_list_and_boot(cli: Cli) -> None:
    disk = cli.workdir / 'disk.raw'
    disk.write_bytes(b'\0' * 65536)
    image = cli.json('image-create', '--file', str(disk), '--disk-format',
                     'raw', 'cli-image')
    assert image['status'] == 'active' and image['size'] == 65536
    names = cli.ok('image-list', '-f', 'value', '-c', 'Name').split()
    assert {'default', 'cli-image'} <= set(names)
    server = cli.json('boot', '--flavor', 'm1.tiny', '--image', 'cli-image',
                      '--nic', 'none', '--poll', 'cli-from-image')
    try:
        assert server['image'] == image['id']
    finally:
        cli.ok('delete', '--wait', server['id'])


def test_image_endpoint_that_is_not_glance_fails_cleanly(cli: Cli) -> None:
    root = cli.endpoint.rsplit('/', 1)[0]
    result = cli.run('--os-image-endpoint', root + '/nothing-here',
                     'image-list')
    assert result.returncode == 1
    assert result.stderr.startswith('ERROR (')
    assert 'Traceback' not in result.stderr


def test_boot_poll_error_prints_the_fault(cli: Cli) -> None:
    # No simulated node has a million GiB of disk: the scheduler finds
    # no host and the server ends in ERROR with a fault.
    cli.ok('flavor-create', 'cli.huge', 'auto', '512', '1000000', '1')
    try:
        result = cli.run('boot', '--flavor', 'cli.huge', '--image',
                         'default', '--nic', 'none', '--poll', 'cli-err')
        assert result.returncode == 1, result.stdout
        assert 'is in ERROR:' in result.stderr
        assert 'Traceback' not in result.stderr
        assert cli.json('show', 'cli-err')['status'] == 'ERROR'
    finally:
        cli.run('delete', '--wait', 'cli-err')
        cli.ok('flavor-delete', 'cli.huge')


def test_default_microversion_is_negotiated(cli: Cli) -> None:
    result = cli.run('version-list', '-f', 'json')
    assert result.returncode == 0, result.stderr
    current = next(v for v in json.loads(result.stdout)
                   if v['Status'] == 'CURRENT')
    server_max = tuple(int(p) for p in current['Max Version'].split('.'))
    expected = min(server_max, (2, 96))
    assert (f'Microversion in use: {expected[0]}.{expected[1]} '
            in result.stderr)


def test_help_needs_no_credentials(cli: Cli) -> None:
    env = cli.env()
    del env['NOVA_ENDPOINT']
    for args in ((), ('help', 'boot'), ('boot', '--help')):
        result = cli.run(*args, env=env)
        assert result.returncode == 0, result.stderr
        assert 'usage: nova' in result.stdout
    assert 'live-migration' in cli.run(env=env).stdout


def _readme_session() -> list[list[str]]:
    """The ``nova`` commands of the README's paste-able session."""
    readme = pathlib.Path(__file__).resolve().parents[3] / 'README.rst'
    lines = [line.strip() for line in readme.read_text().splitlines()]
    start = next(i for i, line in enumerate(lines)
                 if line.startswith('export NOVA_ENDPOINT='))
    session = []
    for line in lines[start + 1:]:
        if not line.startswith('.venv/bin/nova '):
            break
        session.append(shlex.split(line)[1:])
    return session


def test_readme_session_works(cli: Cli) -> None:
    session = _readme_session()
    assert [args[0] for args in session] == [
        'flavor-list', 'boot', 'list', 'show', 'delete']
    env = cli.env(OS_TOKEN='demo:demo')
    for args in session:
        result = cli.run(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
    assert 'vm1' not in cli.run('list', env=env).stdout


def test_aggregate_commands(cli: Cli) -> None:
    host = cli.json('service-list', '--binary', 'nova-compute')[0]['Host']
    created = cli.json('aggregate-create', 'cli-agg')
    try:
        assert created['name'] == 'cli-agg'
        added = cli.json('aggregate-add-host', 'cli-agg', host)
        assert added['hosts'] == [host]
        meta = cli.json('aggregate-set-metadata', 'cli-agg', 'ssd=true')
        assert meta['metadata']['ssd'] == 'true'
        renamed = cli.json('aggregate-update', 'cli-agg', '--name',
                           'cli-agg2')
        assert renamed['name'] == 'cli-agg2'
        assert 'cli-agg2' in cli.ok('aggregate-list')
        assert cli.json('aggregate-show', 'cli-agg2')['hosts'] == [host]
        removed = cli.json('aggregate-remove-host', 'cli-agg2', host)
        assert removed['hosts'] == []
    finally:
        cli.run('aggregate-delete', 'cli-agg')
        cli.run('aggregate-delete', 'cli-agg2')
    assert 'cli-agg' not in cli.ok('aggregate-list')


def test_quota_update(cli: Cli) -> None:
    updated = {q['Quota']: q['Limit'] for q in cli.json(
        'quota-update', 'cli-project', '--instances', '7', '--cores', '9')}
    assert (updated['instances'], updated['cores']) == (7, 9)
    shown = {q['Quota']: q['Limit'] for q in cli.json(
        'quota-show', '--tenant', 'cli-project')}
    assert shown['instances'] == 7
    assert 'at least one quota' in cli.fails('quota-update', 'cli-project')


def test_meta_console_and_hypervisor_servers(cli: Cli, server: dict
                                             ) -> None:
    cli.ok('meta', 'cli-vm1', 'set', 'tier=gold')
    assert cli.json('show', 'cli-vm1')['metadata']['tier'] == 'gold'
    cli.ok('meta', 'cli-vm1', 'delete', 'tier')
    assert 'tier' not in cli.json('show', 'cli-vm1')['metadata']
    node = server['OS-EXT-SRV-ATTR:hypervisor_hostname']
    on_node = cli.json('hypervisor-servers', node)
    assert server['id'] in {row['ID'] for row in on_node}
    assert cli.json('hypervisor-show', node)['hypervisor_hostname'] == node
    result = cli.run('console-log', '--length', '5', 'cli-vm1')
    assert result.returncode in (0, 1)
    assert 'Traceback' not in result.stderr


def test_all_tenants_shows_other_projects(cli: Cli) -> None:
    demo = cli.env(OS_TOKEN='demo:demo')
    booted = cli.run('boot', '--flavor', 'm1.tiny', '--image', 'default',
                     '--nic', 'none', 'cli-demo-vm', '-f', 'json', env=demo)
    assert booted.returncode == 0, booted.stderr
    server_id = json.loads(booted.stdout)['id']
    try:
        mine = {s['ID'] for s in cli.json('list')}
        everyone = cli.json('list', '--all-tenants')
        assert server_id not in mine
        row = next(s for s in everyone if s['ID'] == server_id)
        assert row['Tenant ID'] == 'demo'
    finally:
        cli.run('delete', '--wait', server_id, env=demo)


# Each action as the CLI sends it; the server accepts it or refuses it
# with a fault (not served yet, or not allowed in this state), never a
# traceback and never a 5xx.
ACTIONS = [
    ('reboot', '--hard'), ('stop',), ('start',), ('lock',), ('unlock',),
    ('suspend',), ('resume',), ('rebuild', '{id}', 'default'),
    ('resize', '{id}', 'm1.small'), ('resize-revert',), ('resize-confirm',),
    ('migrate',), ('live-migration',), ('evacuate',), ('shelve',),
    ('unshelve',), ('rescue',), ('unrescue',), ('get-vnc-console',),
    ('instance-action-list',),
]


def test_every_action_ends_cleanly(cli: Cli) -> None:
    server = cli.json('boot', '--flavor', 'm1.tiny', '--image', 'default',
                      '--nic', 'none', '--poll', 'cli-actions')
    try:
        for action in ACTIONS:
            args = [a.format(id=server['id']) for a in action]
            if '{id}' not in action:
                args.append(server['id'])
            result = cli.run(*args)
            assert 'Traceback' not in result.stderr, args
            if result.returncode:
                assert result.returncode == 1, args
                assert '(HTTP 4' in result.stderr, (args, result.stderr)
                assert 'Request-ID: req-' in result.stderr, args
            # Let an accepted action finish before the next one.
            _settle(cli, server['id'])
    finally:
        cli.run('delete', '--wait', server['id'])


def _settle(cli: Cli, server_id: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = cli.json('show', server_id)
        if shown['OS-EXT-STS:task_state'] is None:
            return
        time.sleep(0.2)
    raise AssertionError(f'{server_id} still has a task after {timeout} s')


def test_stop_and_start_with_poll(cli: Cli, server: dict) -> None:
    stopped = cli.ok('stop', '--poll', 'cli-vm1')
    assert 'Server cli-vm1 is SHUTOFF.' in stopped
    assert cli.json('show', 'cli-vm1')['OS-EXT-STS:power_state'] == \
        'Shutdown'
    started = cli.ok('start', '--poll', 'cli-vm1')
    assert 'Server cli-vm1 is ACTIVE.' in started
