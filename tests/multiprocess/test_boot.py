"""The boot path through real daemons over RabbitMQ and MariaDB."""

from __future__ import annotations

import collections
import concurrent.futures
import signal

from tests.multiprocess import daemons


def _quota(deployment, instances=100):
    deployment.set('quota', instances=instances, cores=instances * 2,
                   ram=instances * 1024)


def _one_compute_spawning(deployment, catalog, spawn_delay):
    """One compute whose first build is caught in 'spawning'."""
    deployment.set('fake_driver', spawn_delay=spawn_delay)
    started = deployment.start_control_plane(computes=('compute1',))
    status, body = deployment.boot('slow', catalog['image_id'])
    assert status == 202, body
    server_id = body['server']['id']
    daemons.wait_for(
        lambda: deployment.server(server_id)['OS-EXT-STS:task_state']
        == 'spawning', 60, 'the build to reach spawning')
    return started, server_id


def test_twenty_servers_become_active_on_two_computes(deployment):
    _quota(deployment)
    catalog = deployment.seed_catalog()
    deployment.start_control_plane()
    ids = []
    for index in range(20):
        status, body = deployment.boot(f'vm-{index}', catalog['image_id'])
        assert status == 202, body
        ids.append(body['server']['id'])
    hosts = collections.Counter()
    for server_id in ids:
        server = deployment.wait_status(server_id, {'ACTIVE', 'ERROR'})
        assert server['status'] == 'ACTIVE', server.get('fault')
        assert server['addresses']['private'][0]['addr']
        hosts[server['OS-EXT-SRV-ATTR:host']] += 1
    # Both computes took part (the RAM weigher spreads).
    assert set(hosts) == {'compute1', 'compute2'}, hosts
    addresses = {deployment.server(i)['addresses']['private'][0]['addr']
                 for i in ids}
    assert len(addresses) == 20


def test_spawn_failure_is_rescheduled_to_the_other_host(deployment):
    _quota(deployment)
    deployment.set('fake_driver', fail_spawn_on_hosts='compute1')
    catalog = deployment.seed_catalog()
    deployment.start_control_plane()
    ids = [deployment.boot(f'r-{i}', catalog['image_id'])[1]['server']['id']
           for i in range(4)]
    for server_id in ids:
        server = deployment.wait_status(server_id, {'ACTIVE', 'ERROR'})
        assert server['status'] == 'ACTIVE', server.get('fault')
        assert server['OS-EXT-SRV-ATTR:host'] == 'compute2'
    # At least one of them tried compute1 first and was rescheduled;
    # the instance action says so.
    rescheduled = 0
    for server_id in ids:
        status, body = deployment.api(
            'GET', f'/servers/{server_id}/os-instance-actions')
        assert status == 200, body
        request_id = body['instanceActions'][0]['request_id']
        status, detail = deployment.api(
            'GET', f'/servers/{server_id}/os-instance-actions/{request_id}',
            version='2.51')
        events = [e['event'] for e in detail['instanceAction']['events']]
        rescheduled += events.count('conductor_reschedule')
    assert rescheduled >= 1


def test_failure_everywhere_ends_in_error_with_fault(deployment):
    _quota(deployment)
    catalog = deployment.seed_catalog()
    deployment.set('fake_driver', fail_spawn_for_images=catalog['image_name'])
    deployment.start_control_plane()
    status, body = deployment.boot('doomed', catalog['image_id'])
    assert status == 202
    server = deployment.wait_status(body['server']['id'], {'ERROR'})
    assert 'fault' in server
    assert 'Exhausted all hosts' in server['fault']['message'] or \
        'No valid host' in server['fault']['message'], server['fault']
    # Its resources went back: nothing stays claimed for it.
    from nova import context as nova_context
    from nova.db.api import allocations as allocations_db
    from tests.fixtures import database
    with database.in_use(deployment.db_url):
        left = allocations_db.allocations_get_by_consumer(
            nova_context.get_admin_context(), server['id'])
    assert not left


def test_parallel_creates_never_exceed_the_quota(deployment):
    deployment.set('quota', instances=5, cores=100, ram=100000)
    catalog = deployment.seed_catalog()
    deployment.start_control_plane()

    def boot(index):
        return deployment.boot(f'q-{index}', catalog['image_id'])[0]

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(boot, range(12)))
    assert results.count(202) == 5, results
    assert results.count(403) == 7, results


def test_compute_killed_mid_build_reaches_a_defined_state(deployment):
    _quota(deployment)
    catalog = deployment.seed_catalog()
    started, server_id = _one_compute_spawning(deployment, catalog,
                                               spawn_delay=600)
    started['compute1'].signal(signal.SIGKILL)
    started['compute1'].proc.wait(30)
    deployment.set('fake_driver', spawn_delay=0)
    deployment.start('nova-compute', host='compute1')
    server = deployment.wait_status(server_id, {'ERROR', 'ACTIVE'}, 60)
    assert server['status'] == 'ERROR'
    assert 'restarted while the instance was being built' in \
        server['fault']['message']


def test_boot_with_every_service_in_eventlet_mode(deployment):
    _quota(deployment)
    catalog = deployment.seed_catalog()
    env = {'NOVA_CONCURRENCY_MODE': 'eventlet'}
    started = deployment.start_control_plane(computes=('compute1',),
                                             env=env)
    status, body = deployment.boot('green', catalog['image_id'])
    assert status == 202, body
    server = deployment.wait_status(body['server']['id'],
                                    {'ACTIVE', 'ERROR'})
    assert server['status'] == 'ACTIVE', server.get('fault')
    for daemon in started.values():
        assert 'Concurrency mode: eventlet' in daemon.log_tail(400), \
            daemon.name
    status, _ = deployment.api('DELETE', f'/servers/{server["id"]}')
    assert status == 204
    # Computes first, conductor last: the order an operator stops them.
    for daemon in reversed(list(started.values())):
        assert daemon.stop() == 0, daemon.log_tail()


def test_sigterm_mid_build_finishes_the_build_then_exits_zero(deployment):
    _quota(deployment)
    catalog = deployment.seed_catalog()
    started, server_id = _one_compute_spawning(deployment, catalog,
                                               spawn_delay=4)
    compute = started['compute1']
    compute.signal(signal.SIGTERM)
    # The request in flight (the build) completes before the exit.
    assert compute.proc.wait(60) == 0, compute.log_tail()
    assert deployment.server(server_id)['status'] == 'ACTIVE'
