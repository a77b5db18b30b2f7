"""SchedulerAPI -> nova-scheduler over the in-process fake:// transport."""

import time

import pytest
from oslo_config import cfg

from nova import exception
from nova import rpc
from nova import service
from nova.db.api import allocations
from nova.scheduler import manager
from nova.scheduler import rpcapi
from tests.functional.scheduler.helpers import make_node
from tests.functional.scheduler.helpers import spec

CONF = cfg.CONF


class NoReporter:
    def join(self, ctxt, host, binary, topic):
        return {'host': host, 'binary': binary}

    def report(self, ctxt, host, binary):
        return {'host': host, 'binary': binary}


@pytest.fixture
def scheduler_service(db, flags):
    flags(group='DEFAULT', transport_url='fake:///')
    rpc.init(CONF)
    mgr = manager.SchedulerManager(host='scheduler-1')
    svc = service.Service('scheduler-1', 'nova-scheduler', 'scheduler', mgr,
                          NoReporter(), report_interval=3600,
                          periodic_enable=False)
    svc.start()
    yield mgr
    svc.stop()
    svc.wait()
    rpc.cleanup()


def test_select_destinations_and_claim_alternate_over_rpc(
        scheduler_service, ctxt):
    make_node(ctxt, 'h1', memory_mb=16384)
    make_node(ctxt, 'h2')
    request = spec()
    api = rpcapi.SchedulerAPI()

    [[first, alternate]] = api.select_destinations(
        ctxt, request, [request['instance_uuid']])
    allocations.release_resources(ctxt, request['instance_uuid'])
    claimed = api.claim_alternate(ctxt, request, request['instance_uuid'],
                                  alternate)

    assert (first['host'], alternate['host'], claimed) == ('h1', 'h2', True)


def test_no_valid_host_crosses_rpc_as_itself(scheduler_service, ctxt):
    make_node(ctxt, 'h1', memory_mb=1024)

    with pytest.raises(exception.NoValidHost,
                       match='RamFilter removed 1 of 1 hosts'):
        rpcapi.SchedulerAPI().select_destinations(ctxt, spec(
            memory_mb=2048), [])


def test_build_failures_are_fanned_out(scheduler_service, ctxt, flags):
    api = rpcapi.SchedulerAPI()
    api.note_build_failure(ctxt, 'h1')
    deadline = time.monotonic() + 10
    while not scheduler_service.host_manager.failed_builds['h1']:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    api.note_build_success(ctxt, 'h1')
    while scheduler_service.host_manager.failed_builds['h1']:
        assert time.monotonic() < deadline
        time.sleep(0.02)

    flags(group='upgrade_levels', scheduler='1.0')
    pinned = rpcapi.SchedulerAPI()
    pinned.note_build_failure(ctxt, 'h1')  # not sent: needs 1.1
    time.sleep(0.2)
    assert not scheduler_service.host_manager.failed_builds['h1']
