"""Service and Launcher over oslo.messaging's in-process transport."""

import threading
import time

import oslo_messaging as messaging
import pytest
from oslo_config import cfg

from nova import context
from nova import launcher
from nova import manager
from nova import rpc
from nova import service
from tests.fixtures.conf import prepare_conf

CONF = cfg.CONF


def wait_for(predicate, timeout=10.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    raise AssertionError(f'condition not met within {timeout}s')


class RecordingReporter:
    """Stands in for the database: records joins and heartbeats."""

    def __init__(self):
        self.joined = []
        self.reports = 0

    def join(self, ctx, host, binary, topic):
        self.joined.append((host, binary, topic))
        return {'host': host, 'binary': binary}

    def report(self, ctx, host, binary):
        self.reports += 1
        return {'host': host, 'binary': binary,
                'report_count': self.reports}


class SlowManager(manager.Manager):
    target = messaging.Target(version='1.0')

    def __init__(self, host=None):
        super().__init__(host=host, service_name='test')
        self.started = threading.Event()
        self.release = threading.Event()
        self.cleaned_up = False

    def echo(self, ctxt, value):
        return {'value': value, 'request_id': ctxt.request_id,
                'user_id': ctxt.user_id}

    def slow(self, ctxt, seconds):
        self.started.set()
        self.release.wait(seconds)
        return 'finished'

    def cleanup_host(self):
        self.cleaned_up = True


@pytest.fixture
def fake_rpc():
    prepare_conf()
    CONF.set_override('transport_url', 'fake:///')
    rpc.init(CONF)
    yield
    rpc.cleanup()
    CONF.clear_override('transport_url')


def make_service(topic='svc-test', report_interval=1):
    reporter = RecordingReporter()
    mgr = SlowManager(host='node1')
    svc = service.Service('node1', 'nova-test', topic, mgr, reporter,
                          report_interval=report_interval,
                          periodic_enable=False)
    return svc, mgr, reporter


def client(topic='svc-test'):
    return rpc.get_client(messaging.Target(topic=topic, version='1.0'))


def test_rpc_call_carries_context(fake_rpc):
    svc, mgr, reporter = make_service()
    svc.start()
    try:
        ctx = context.RequestContext('alice', 'p1', roles=['member'])
        out = client().prepare(server='node1', timeout=10).call(
            ctx, 'echo', value=42)
        assert out == {'value': 42, 'request_id': ctx.request_id,
                       'user_id': 'alice'}
        assert reporter.joined == [('node1', 'nova-test', 'svc-test')]
    finally:
        svc.stop()
        svc.wait()


def test_heartbeat_reports_periodically(fake_rpc):
    svc, mgr, reporter = make_service(report_interval=1)
    svc.start()
    try:
        wait_for(lambda: reporter.reports >= 2, timeout=5)
    finally:
        svc.stop()
        svc.wait()


def test_graceful_stop_finishes_in_flight_request(fake_rpc):
    svc, mgr, reporter = make_service()
    svc.start()
    result = {}

    def call():
        result['value'] = client().prepare(server='node1', timeout=30).call(
            context.get_admin_context(), 'slow', seconds=30)

    caller = threading.Thread(target=call)
    caller.start()
    assert mgr.started.wait(10)
    run = launcher.Launcher([svc])
    stopper = threading.Thread(target=run._stop_services, args=(30,))
    stopper.start()
    # Stopping waits for the request in flight...
    time.sleep(0)  # let the stopper run; the assertion below is the check
    assert stopper.is_alive()
    mgr.release.set()
    stopper.join(10)
    caller.join(10)
    assert not stopper.is_alive()
    assert result['value'] == 'finished'
    assert mgr.cleaned_up


def test_stop_gives_up_after_timeout(fake_rpc):
    svc, mgr, reporter = make_service()
    svc.start()
    caller = threading.Thread(
        target=lambda: client().prepare(server='node1', timeout=30).call(
            context.get_admin_context(), 'slow', seconds=30), daemon=True)
    caller.start()
    assert mgr.started.wait(10)
    assert launcher.Launcher([svc])._stop_services(timeout=1) is False
    mgr.release.set()
    caller.join(10)


def test_heartbeat_failure_does_not_kill_service(fake_rpc):
    svc, mgr, reporter = make_service(report_interval=1)

    calls = []

    def broken_report(ctx, host, binary):
        calls.append(1)
        raise RuntimeError('database is down')

    reporter.report = broken_report
    svc.start()
    try:
        wait_for(lambda: len(calls) >= 2, timeout=5)
        out = client().prepare(server='node1', timeout=10).call(
            context.get_admin_context(), 'echo', value='still here')
        assert out['value'] == 'still here'
    finally:
        svc.stop()
        svc.wait()
