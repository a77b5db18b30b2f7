"""Issue: the daemons as separate processes over RabbitMQ and MariaDB."""

from __future__ import annotations

import signal
import subprocess
import time

from tests.fixtures import rabbit
from tests.multiprocess import conftest
from tests.multiprocess import daemons


def services_by_host(deployment, binary='nova-compute'):
    status, body = deployment.api('GET', f'/os-services?binary={binary}')
    assert status == 200, body
    return {s['host']: s for s in body['services']}


def all_up(deployment, expected):
    status, body = deployment.api('GET', '/os-services')
    assert status == 200, body
    up = {(s['binary'], s['host']) for s in body['services']
          if s['state'] == 'up'}
    return expected <= up


def test_daemons_register_and_a_killed_compute_goes_down(deployment):
    started = deployment.start_control_plane()
    hostname = None
    status, body = deployment.api('GET', '/os-services')
    assert status == 200
    for service in body['services']:
        if service['binary'] == 'nova-conductor':
            hostname = service['host']
    expected = {('nova-conductor', hostname), ('nova-scheduler', hostname),
                ('nova-compute', 'compute1'), ('nova-compute', 'compute2')}
    daemons.wait_for(lambda: all_up(deployment, expected), 30,
                     'all four services up')

    started['compute2'].kill()
    killed_at = time.monotonic()
    limit = conftest.SERVICE_DOWN_TIME + conftest.REPORT_INTERVAL
    daemons.wait_for(
        lambda: services_by_host(deployment)['compute2']['state'] == 'down',
        limit + 5, 'compute2 reported down')
    # Within service_down_time plus one report interval (and the time
    # one API call takes).
    assert time.monotonic() - killed_at <= limit + 2
    assert services_by_host(deployment)['compute1']['state'] == 'up'


def test_sigterm_stops_every_daemon_with_exit_zero(deployment):
    started = deployment.start_control_plane(computes=('compute1',))
    for name in ('compute1', 'api', 'scheduler', 'conductor'):
        assert started[name].stop(timeout=60) == 0, started[name].log_tail()


def test_readiness_is_reported_to_systemd(deployment):
    api = deployment.start('nova-api')
    conductor = deployment.start('nova-conductor', wait=False)
    conductor.wait_ready(timeout=60)
    assert 'READY=1' in conductor.notify.messages
    # READY=1 comes once the RPC server consumes, after the service
    # record was written.
    status, body = deployment.api('GET', '/os-services')
    assert status == 200
    assert [s['binary'] for s in body['services']] == ['nova-conductor']
    assert conductor.stop() == 0
    assert api.stop() == 0


def test_daemons_reconnect_after_broker_restart(deployment):
    deployment.start_control_plane(computes=('compute1',))
    daemons.wait_for(
        lambda: services_by_host(deployment)['compute1']['state'] == 'up',
        30, 'compute1 up')
    before = services_by_host(deployment)['compute1']['updated_at']
    rabbit.restart_broker()
    restarted_at = time.monotonic()
    # compute1 heartbeats through conductor with an RPC call; its record
    # moves on only when calls over the new broker connection succeed.
    daemons.wait_for(
        lambda: services_by_host(deployment)['compute1']['updated_at']
        > before and services_by_host(deployment)['compute1']['state']
        == 'up', 90, 'compute1 heartbeating again after broker restart')
    assert time.monotonic() - restarted_at < 90


def test_sighup_reloads_log_level(deployment):
    conductor = deployment.start('nova-conductor')
    with open(deployment.base_conf, 'a') as conf:
        conf.write('\n[DEFAULT]\ndebug = true\n')
    conductor.signal(signal.SIGHUP)
    daemons.wait_for(
        lambda: 'reloading mutable configuration' in conductor.log_tail(200),
        20, 'SIGHUP handled')
    daemons.wait_for(lambda: ' DEBUG ' in conductor.log_tail(400), 30,
                     'debug logging after SIGHUP')
    assert conductor.stop() == 0


def test_conductor_workers_share_the_topic(deployment):
    deployment.set('conductor', workers=2)
    started = deployment.start_control_plane(computes=('compute1',))
    conductor = started['conductor']
    children = subprocess.run(['pgrep', '-P', str(conductor.pid)],
                      capture_output=True, text=True).stdout.split()
    assert len(children) == 2, children
    # The compute heartbeats through conductor: it is up, so calls are
    # answered by the workers.
    daemons.wait_for(
        lambda: services_by_host(deployment)['compute1']['state'] == 'up',
        30, 'compute1 up through the conductor workers')
    for name in ('compute1', 'api', 'scheduler', 'conductor'):
        assert started[name].stop() == 0, started[name].log_tail()


def test_api_workers_serve_requests(deployment):
    deployment.set('DEFAULT', osapi_compute_workers=2)
    api = deployment.start('nova-api')
    children = subprocess.run(['pgrep', '-P', str(api.pid)],
                              capture_output=True, text=True).stdout.split()
    assert len(children) == 2, children
    for _ in range(10):
        status, body = deployment.api('GET', '/os-services')
        assert status == 200, body
    assert api.stop() == 0, api.log_tail()
