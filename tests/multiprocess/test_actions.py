"""Server actions through real daemons (RabbitMQ, MariaDB, two fake
computes): every compute-only action, the failure path of each (driver
error injected -> a defined state with a fault), a compute that dies in
the middle of an action, and an allocation audit at the end of each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from tests.multiprocess import daemons


def _prepare(deployment: Any, **fake_driver: Any) -> str:
    deployment.set('quota', instances=20, cores=40, ram=40960)
    deployment.set('compute', allow_resize_to_same_host=False)
    if fake_driver:
        deployment.set('fake_driver', **fake_driver)
    return deployment.seed_catalog()['image_id']


def _boot(deployment: Any, image_id: str, name: str) -> dict[str, Any]:
    status, body = deployment.boot(name, image_id)
    assert status == 202, body
    server = deployment.wait_status(body['server']['id'],
                                    {'ACTIVE', 'ERROR'})
    assert server['status'] == 'ACTIVE', server.get('fault')
    return server


def _act(deployment: Any, server_id: str, body: dict[str, Any],
         version: str = '2.1', expect: int = 202,
         token: str = 'admin:admin') -> Any:
    status, answer = deployment.api('POST', f'/servers/{server_id}/action',
                                    body, version=version, token=token)
    assert status == expect, (body, status, answer)
    return answer


def _settled(deployment: Any, server_id: str,
             timeout: float = 90) -> dict[str, Any]:
    return daemons.wait_for(
        lambda: (lambda s: s if s['OS-EXT-STS:task_state'] is None
                 else None)(deployment.server(server_id)),
        timeout, f'server {server_id} to settle')


def _events(deployment: Any, server_id: str) -> list[tuple[str, str, str]]:
    """(action, event, result) of every recorded event, newest first,
    once all have finished (an event may end just after the task does)."""
    return daemons.wait_for(lambda: _finished_events(deployment, server_id),
                            30, 'every action event to finish')


def _finished_events(deployment: Any,
                     server_id: str) -> list[tuple[str, str, str]] | None:
    status, body = deployment.api(
        'GET', f'/servers/{server_id}/os-instance-actions')
    assert status == 200, body
    found = []
    for action in body['instanceActions']:
        status, detail = deployment.api(
            'GET', f"/servers/{server_id}/os-instance-actions/"
                   f"{action['request_id']}", version='2.51')
        for event in detail['instanceAction'].get('events', []):
            if event['result'] is None:
                return None
            found.append((action['action'], event['event'],
                          event['result']))
    return found


def _newest_event(deployment: Any, server_id: str) -> dict[str, Any]:
    """The newest action's failed event (else its first), once finished."""
    def finished() -> dict[str, Any] | None:
        status, body = deployment.api(
            'GET', f'/servers/{server_id}/os-instance-actions')
        newest = body['instanceActions'][0]
        status, detail = deployment.api(
            'GET', f"/servers/{server_id}/os-instance-actions/"
                   f"{newest['request_id']}", version='2.51')
        events = detail['instanceAction']['events']
        if not events or any(e['result'] is None for e in events):
            return None
        return next((e for e in events if e['result'] == 'Error'),
                    events[0])
    return daemons.wait_for(finished, 30, 'the newest action to finish')


def _audit(deployment: Any, after: Any = None) -> None:
    """Every consumer holds exactly what it is due: no leak, no double."""
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), 'nova-manage'),
         '--config-file', deployment.base_conf, 'placement', 'audit',
         '--verify'], capture_output=True, text=True, timeout=120,
        check=False)
    assert result.returncode == 0, (after, result.stdout + result.stderr)


def test_every_action_across_two_computes(deployment):
    image_id = _prepare(deployment)
    deployment.start_control_plane()
    server = _boot(deployment, image_id, 'busy')
    sid = server['id']
    steps = [
        ({'reboot': {'type': 'SOFT'}}, 'ACTIVE'),
        ({'reboot': {'type': 'HARD'}}, 'ACTIVE'),
        ({'os-stop': None}, 'SHUTOFF'),
        ({'os-start': None}, 'ACTIVE'),
        ({'pause': None}, 'PAUSED'),
        ({'unpause': None}, 'ACTIVE'),
        ({'suspend': None}, 'SUSPENDED'),
        ({'resume': None}, 'ACTIVE'),
        ({'rescue': None}, 'RESCUE'),
        ({'unrescue': None}, 'ACTIVE'),
        ({'rebuild': {'imageRef': image_id, 'name': 'rebuilt'}}, 'ACTIVE'),
        ({'resize': {'flavorRef': '2'}}, 'VERIFY_RESIZE'),
        ({'revertResize': None}, 'ACTIVE'),
        ({'resize': {'flavorRef': '2'}}, 'VERIFY_RESIZE'),
        ({'confirmResize': None}, 'ACTIVE'),
        ({'migrate': None}, 'VERIFY_RESIZE'),
        ({'confirmResize': None}, 'ACTIVE'),
        ({'os-migrateLive': {'host': None, 'block_migration': 'auto'}},
         'ACTIVE'),
    ]
    hosts = {server['OS-EXT-SRV-ATTR:host']}
    for body, status in steps:
        expect = {'confirmResize': 204, 'rescue': 200}.get(next(iter(body)),
                                                           202)
        _act(deployment, sid, body, version='2.30', expect=expect)
        settled = _settled(deployment, sid)
        assert settled['status'] == status, (body, settled.get('fault'))
        hosts.add(settled['OS-EXT-SRV-ATTR:host'])
        _audit(deployment, after=body)
    assert hosts == {'compute1', 'compute2'}
    assert settled['flavor']['id'] == '2'
    console = _act(deployment, sid, {'os-getConsoleOutput': {}},
                   expect=200)
    assert sid in console['output']
    events = _events(deployment, sid)
    assert all(result == 'Success' for _, _, result in events), events
    assert {'compute_reboot_instance', 'compute_rescue_instance',
            'compute_rebuild_instance', 'compute_finish_resize',
            'compute_confirm_resize', 'compute_finish_revert_resize',
            'compute_live_migration'} <= {e for _, e, _ in events}
    assert deployment.api('DELETE', f'/servers/{sid}')[0] == 204
    daemons.wait_for(
        lambda: deployment.api('GET', f'/servers/{sid}')[0] == 404, 60,
        'the server to be deleted')
    _audit(deployment)


def test_driver_failures_end_in_defined_states(deployment):
    image_id = _prepare(deployment, fail_operations=','.join([
        'pause', 'power_off', 'migrate_disk_and_power_off',
        'live_migration', 'rescue', 'reboot']))
    deployment.start_control_plane()
    sid = _boot(deployment, image_id, 'fragile')['id']
    # Each failure: back to the same state with a fault, nothing leaked.
    for body in ({'pause': None}, {'os-stop': None}, {'rescue': None},
                 {'resize': {'flavorRef': '2'}}, {'migrate': None},
                 {'os-migrateLive': {'host': None,
                                     'block_migration': 'auto'}}):
        _act(deployment, sid, body, version='2.25',
             expect=200 if 'rescue' in body else 202)
        server = _settled(deployment, sid)
        assert server['status'] == 'ACTIVE', (body, server)
        assert server['OS-EXT-STS:power_state'] == 1, body
        # The fault shows only in ERROR; the action's event says why.
        event = _newest_event(deployment, sid)
        assert event['result'] == 'Error', (body, event)
        # (A live migration's driver rolls back by itself and reports
        # only that it did.)
        assert 'failure injected' in event['traceback'] or \
            'still runs on' in event['traceback'], (body, event)
        _audit(deployment, after=body)
    assert server['flavor']['id'] == '1'
    status, listed = deployment.api('GET', '/os-migrations',
                                    version='2.23')
    assert {m['status'] for m in listed['migrations']} == {'error'}
    # A failed reboot leaves the guest's state unknown: ERROR + fault.
    _act(deployment, sid, {'reboot': {'type': 'SOFT'}})
    server = _settled(deployment, sid)
    assert server['status'] == 'ERROR'
    assert 'reboot' in server['fault']['message']
    failed = [e for e in _events(deployment, sid) if e[2] == 'Error']
    assert {e[1] for e in failed} >= {
        'compute_pause_instance', 'compute_stop_instance',
        'compute_rescue_instance', 'compute_resize_instance',
        'compute_reboot_instance'}, failed
    # The traceback of a failed event is for admins only.
    status, body = deployment.api(
        'GET', f'/servers/{sid}/os-instance-actions', token='admin:admin')
    request_id = next(a['request_id'] for a in body['instanceActions']
                      if a['action'] == 'pause')
    status, detail = deployment.api(
        'GET', f'/servers/{sid}/os-instance-actions/{request_id}',
        version='2.51')
    assert detail['instanceAction']['events'][0]['traceback']


def test_compute_killed_mid_action_reaches_a_defined_state(deployment):
    # Every guest operation but spawn takes 600 s: a stop hangs mid-way.
    image_id = _prepare(deployment, operation_delay=600)
    started = deployment.start_control_plane(computes=('compute1',))
    sid = _boot(deployment, image_id, 'interrupted')['id']
    idle = _boot(deployment, image_id, 'idle')['id']
    _act(deployment, sid, {'os-stop': None})
    daemons.wait_for(
        lambda: deployment.server(sid)['OS-EXT-STS:task_state'] ==
        'powering-off', 30, 'the stop to be under way')
    started['compute1'].signal(signal.SIGKILL)
    started['compute1'].proc.wait(30)
    # While the compute is down, actions are refused with a clear 409.
    daemons.wait_for(
        lambda: deployment.api('GET', '/os-services?binary=nova-compute')[
            1]['services'][0]['state'] == 'down', 60,
        'the compute to be seen down')
    answer = _act(deployment, idle, {'reboot': {'type': 'HARD'}},
                  expect=409)
    assert 'compute1' in answer['conflictingRequest']['message']
    deployment.set('fake_driver', operation_delay=0)
    deployment.start('nova-compute', host='compute1')
    # The restarted compute clears the task and takes the power state
    # from its hypervisor (the fake one forgot the guest: SHUTOFF).
    server = _settled(deployment, sid, timeout=60)
    assert server['status'] == 'SHUTOFF', server
    assert 'powering-off' in deployment.daemons[-1].log_tail(400)
    # Starting a server whose guest the hypervisor lost ends in ERROR
    # with a fault, not in a task that never ends.
    _act(deployment, sid, {'os-start': None})
    server = _settled(deployment, sid)
    assert server['status'] == 'ERROR', server
    assert 'could not be found' in server['fault']['message'], server
    _audit(deployment)


def _kill_compute(deployment: Any, started: dict[str, Any],
                  host: str) -> None:
    """SIGKILL the compute of ``host``; return once it is seen down."""
    started[host].signal(signal.SIGKILL)
    started[host].proc.wait(30)
    daemons.wait_for(
        lambda: any(s['host'] == host and s['state'] == 'down'
                    for s in deployment.api(
                        'GET', '/os-services?binary=nova-compute')[1][
                            'services']), 60, f'{host} to be seen down')


def test_evacuate_from_a_dead_compute(deployment):
    image_id = _prepare(deployment)
    started = deployment.start_control_plane()
    server = _boot(deployment, image_id, 'refugee')
    source = server['OS-EXT-SRV-ATTR:host']
    _kill_compute(deployment, started, source)
    _act(deployment, server['id'], {'evacuate': {}}, version='2.68')
    evacuated = _settled(deployment, server['id'])
    assert evacuated['status'] == 'ACTIVE', evacuated.get('fault')
    assert evacuated['OS-EXT-SRV-ATTR:host'] != source
    _audit(deployment)


def test_a_compute_back_after_an_evacuation_completes_it(deployment):
    image_id = _prepare(deployment)
    started = deployment.start_control_plane()
    server = _boot(deployment, image_id, 'returnee')
    sid, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    _kill_compute(deployment, started, source)
    _act(deployment, sid, {'evacuate': {}}, version='2.68')
    evacuated = _settled(deployment, sid)
    dest = evacuated['OS-EXT-SRV-ATTR:host']
    assert (evacuated['status'], dest != source) == ('ACTIVE', True)
    [migration] = deployment.api(
        'GET', f'/os-migrations?instance_uuid={sid}', version='2.23')[1][
            'migrations']
    assert migration['status'] == 'done', migration
    # The fake hypervisor dies with its nova-compute: the restarted one
    # has no guest left to destroy (tests/functional/compute/
    # test_evacuation_return.py proves the destroy), only the evacuation
    # to complete, through a real conductor.
    deployment.start('nova-compute', host=source)
    daemons.wait_for(
        lambda: _migration_status(deployment, migration['id']) ==
        'completed', 30, 'the evacuation to be completed')
    server = _settled(deployment, sid)
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == (
        'ACTIVE', dest)
    # Still running where it went: a reboot there succeeds.
    _act(deployment, sid, {'reboot': {'type': 'HARD'}})
    server = _settled(deployment, sid)
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == (
        'ACTIVE', dest)
    _audit(deployment, after='the source came back')


def _live_migration(deployment: Any, server_id: str,
                    status: str) -> dict[str, Any]:
    def reached() -> dict[str, Any] | None:
        code, body = deployment.api('GET', f'/servers/{server_id}/migrations',
                                    version='2.23')
        assert code == 200, body
        found = body['migrations']
        return found[0] if found and found[0]['status'] == status else None
    return daemons.wait_for(reached, 60, f'a live migration {status}')


def _migration_status(deployment: Any, migration_id: int) -> str:
    code, body = deployment.api('GET', '/os-migrations', version='2.23')
    return next(m['status'] for m in body['migrations']
                if m['id'] == migration_id)


def test_live_migration_aborted_then_forced_to_complete(deployment):
    # Guests take two minutes to copy: only force or abort ends it soon.
    image_id = _prepare(deployment, live_migration_duration=120)
    deployment.start_control_plane()
    server = _boot(deployment, image_id, 'steered')
    sid, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    live = {'os-migrateLive': {'host': None, 'block_migration': 'auto'}}
    _act(deployment, sid, live, version='2.25')
    running = _live_migration(deployment, sid, 'running')
    code, _ = deployment.api(
        'DELETE', f"/servers/{sid}/migrations/{running['id']}",
        version='2.24')
    assert code == 202
    server = _settled(deployment, sid)
    assert (server['status'], server['OS-EXT-SRV-ATTR:host']) == (
        'ACTIVE', source)
    daemons.wait_for(
        lambda: _migration_status(deployment, running['id']) == 'cancelled',
        30, 'the migration to be cancelled')
    _audit(deployment, after='abort')

    _act(deployment, sid, live, version='2.25')
    running = _live_migration(deployment, sid, 'running')
    code, _ = deployment.api(
        'POST', f"/servers/{sid}/migrations/{running['id']}/action",
        {'force_complete': None}, version='2.22')
    assert code == 202
    server = _settled(deployment, sid)
    assert server['OS-EXT-SRV-ATTR:host'] == running['dest_compute'] != \
        source
    assert _migration_status(deployment, running['id']) == 'completed'
    events = _events(deployment, sid)
    assert ('live_migration_abort', 'compute_live_migration_abort',
            'Success') in events
    assert ('live_migration_force_complete',
            'compute_live_migration_force_complete', 'Success') in events
    _audit(deployment, after='force_complete')


def test_compute_killed_mid_live_migration(deployment):
    image_id = _prepare(deployment, live_migration_duration=600)
    started = deployment.start_control_plane()
    server = _boot(deployment, image_id, 'stranded')
    sid, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    _act(deployment, sid, {'os-migrateLive': {
        'host': None, 'block_migration': 'auto'}}, version='2.25')
    running = _live_migration(deployment, sid, 'running')
    started[source].signal(signal.SIGKILL)
    started[source].proc.wait(30)
    deployment.set('fake_driver', live_migration_duration=0)
    deployment.start('nova-compute', host=source)
    # The restarted source fails the migration: the server stays, no
    # allocation is left on the destination.
    server = _settled(deployment, sid, timeout=60)
    assert server['OS-EXT-SRV-ATTR:host'] == source
    assert _migration_status(deployment, running['id']) == 'error'
    _audit(deployment, after='compute killed mid live migration')


def _failing(deployment: Any, computes: list[Any], *operations: str) -> None:
    """From now on the computes' drivers fail ``operations`` (a SIGHUP
    reloads [fake_driver] fail_operations, a mutable option)."""
    deployment.set('fake_driver', fail_operations=','.join(operations))
    for daemon in computes:
        before = daemon.log_tail(100000).count('Configuration reloaded')
        daemon.signal(signal.SIGHUP)
        daemons.wait_for(
            lambda d=daemon, n=before: d.log_tail(100000).count(
                'Configuration reloaded') > n, 30, 'the reload')


def _fails_into(deployment: Any, sid: str, body: dict[str, Any],
                status: str, version: str = '2.45',
                expect: int = 202) -> dict[str, Any]:
    """Run a failing action: it ends in ``status`` with an Error event
    that says the driver failed, and no allocation is off."""
    answer = _act(deployment, sid, body, version=version, expect=expect)
    server = _settled(deployment, sid)
    assert server['status'] == status, (body, server.get('fault'))
    event = _newest_event(deployment, sid)
    assert event['result'] == 'Error', (body, event)
    assert 'failure injected' in event['traceback'], (body, event)
    _audit(deployment, after=body)
    return dict(server, answer=answer)


def _fails_after(deployment: Any, sid: str,
                 steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Every step but the last takes the server to VERIFY_RESIZE; the
    last one fails into ERROR (see _fails_into)."""
    *before, last = steps
    for body in before:
        _act(deployment, sid, body)
        assert _settled(deployment, sid)['status'] == 'VERIFY_RESIZE'
    return _fails_into(deployment, sid, last, 'ERROR',
                       expect=204 if 'confirmResize' in last else 202)


def test_the_other_actions_fail_into_defined_states(deployment):
    image_id = _prepare(deployment)
    image_port = daemons.free_port()
    # Snapshots and shelving need the image service.
    deployment.set('image', image_api_listen='127.0.0.1',
                   image_api_listen_port=image_port)
    deployment.set('glance', api_servers=f'http://127.0.0.1:{image_port}')
    deployment.set('compute', shelved_offload_time=-1)
    deployment.start('nova-image-api')
    started = deployment.start_control_plane()
    computes = [started['compute1'], started['compute2']]
    sid = _boot(deployment, image_id, 'unlucky')['id']
    # In place: back where it was, the event says why.
    _failing(deployment, computes, 'suspend', 'snapshot',
             'set_admin_password', 'trigger_crash_dump', 'power_on')
    _fails_into(deployment, sid, {'suspend': None}, 'ACTIVE')
    snapshot_id = _fails_into(deployment, sid,
                              {'createImage': {'name': 'snap'}},
                              'ACTIVE')['answer']['image_id']
    _fails_into(deployment, sid, {'changePassword': {'adminPass': 'x1'}},
                'ACTIVE')
    _fails_into(deployment, sid, {'trigger_crash_dump': None}, 'ACTIVE')
    _act(deployment, sid, {'os-stop': None})
    assert _settled(deployment, sid)['status'] == 'SHUTOFF'
    _fails_into(deployment, sid, {'os-start': None}, 'SHUTOFF')
    # A failed snapshot leaves no image behind.
    assert deployment.api('GET', f'/images/{snapshot_id}')[0] == 404
    # A shelve whose snapshot fails keeps the server where it was.
    _fails_into(deployment, sid, {'shelve': None}, 'SHUTOFF')
    # The way back from each paused/suspended/rescued state.
    for into, back, state in (('pause', 'unpause', 'PAUSED'),
                              ('suspend', 'resume', 'SUSPENDED'),
                              ('rescue', 'unrescue', 'RESCUE')):
        _failing(deployment, computes, back)
        if deployment.server(sid)['status'] == 'SHUTOFF':
            _act(deployment, sid, {'os-start': None})
            assert _settled(deployment, sid)['status'] == 'ACTIVE'
        _act(deployment, sid, {into: None},
             expect=200 if into == 'rescue' else 202)
        assert _settled(deployment, sid)['status'] == state
        _fails_into(deployment, sid, {back: None}, state)
        _failing(deployment, computes)
        _act(deployment, sid, {back: None})
        assert _settled(deployment, sid)['status'] == 'ACTIVE'
    # Unshelve whose spawn fails everywhere: still shelved, offloaded.
    _act(deployment, sid, {'shelve': None})
    assert _settled(deployment, sid)['status'] == 'SHELVED'
    _act(deployment, sid, {'shelveOffload': None})
    assert _settled(deployment, sid)['status'] == 'SHELVED_OFFLOADED'
    _failing(deployment, computes, 'spawn')
    server = _fails_into(deployment, sid, {'unshelve': None},
                         'SHELVED_OFFLOADED')
    # Where the guest's state is unknown afterwards: ERROR with a fault.
    _failing(deployment, computes)
    _act(deployment, sid, {'unshelve': None})
    assert _settled(deployment, sid)['status'] == 'ACTIVE'
    for failing, steps in (
            ('confirm_migration', [{'resize': {'flavorRef': '2'}},
                                   {'confirmResize': None}]),
            ('finish_revert_migration', [{'resize': {'flavorRef': '3'}},
                                         {'revertResize': None}]),
            ('rebuild', [{'rebuild': {'imageRef': image_id}}])):
        _failing(deployment, computes, failing)
        server = _fails_after(deployment, sid, steps)
        last = steps[-1]
        assert 'failure injected' in server['fault']['message'], server
        if 'rebuild' not in last:
            # The move is over, in error (nothing left in progress).
            status, listed = deployment.api(
                'GET', f'/os-migrations?instance_uuid={sid}')
            assert listed['migrations'][0]['status'] == 'error', listed
        _act(deployment, sid, {'os-resetState': {'state': 'active'}})
        assert _settled(deployment, sid)['status'] == 'ACTIVE'


def test_an_evacuation_that_fails_ends_in_error(deployment):
    image_id = _prepare(deployment)
    started = deployment.start_control_plane()
    server = _boot(deployment, image_id, 'castaway')
    source = server['OS-EXT-SRV-ATTR:host']
    target = ({'compute1', 'compute2'} - {source}).pop()
    _failing(deployment, [started[target]], 'spawn')
    _kill_compute(deployment, started, source)
    _act(deployment, server['id'], {'evacuate': {}}, version='2.68')
    failed = _settled(deployment, server['id'])
    # No guest anywhere now: ERROR with the reason, the evacuation over.
    assert failed['status'] == 'ERROR', failed
    assert 'failure injected' in failed['fault']['message'], failed
    status, listed = deployment.api(
        'GET', f"/os-migrations?instance_uuid={server['id']}")
    assert listed['migrations'][0]['status'] == 'error', listed
    _audit(deployment, after='failed evacuation')


def test_a_resize_on_the_same_host_that_fails_keeps_exact_allocations(
        deployment):
    image_id = _prepare(deployment)
    deployment.set('compute', allow_resize_to_same_host=True)
    started = deployment.start_control_plane(computes=('compute1',))
    sid = _boot(deployment, image_id, 'cramped')['id']
    # Once the new sizes are written, the same node is both ends: the
    # records must still say which copy the server is.
    for failing, steps, flavor in (
            ('finish_migration', [{'resize': {'flavorRef': '2'}}], '2'),
            ('confirm_migration', [{'resize': {'flavorRef': '3'}},
                                   {'confirmResize': None}], '3')):
        _failing(deployment, [started['compute1']], failing)
        server = _fails_after(deployment, sid, steps)
        assert server['flavor']['id'] == flavor, server['flavor']
        assert server['OS-EXT-SRV-ATTR:host'] == 'compute1'
        _act(deployment, sid, {'os-resetState': {'state': 'active'}})
