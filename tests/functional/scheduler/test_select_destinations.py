"""select_destinations against a real database (SQLite unless marked)."""

import pytest
from oslo_utils import uuidutils

from nova import exception
from nova.db.api import allocations
from nova.db.api import services
from tests.fixtures import database
from tests.fixtures import factories
from tests.functional.scheduler.helpers import make_node
from tests.functional.scheduler.helpers import select
from tests.functional.scheduler.helpers import spec


@database.all_backends
def test_selection_is_claimed_and_has_alternates(scheduler, ctxt):
    nodes = {host: make_node(ctxt, host, memory_mb=mem)
             for host, mem in (('h1', 4096), ('h2', 16384), ('h3', 8192),
                               ('h4', 2048))}
    request = spec(vcpus=2, memory_mb=1024, root_gb=10)

    [selections] = select(scheduler, ctxt, request)

    first, *alternates = selections
    assert first == {
        'host': 'h2', 'nodename': 'h2-node',
        'compute_node_id': nodes['h2']['id'],
        'compute_node_uuid': nodes['h2']['uuid'],
        'allocations': {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 10}}
    # max_attempts = 3: two alternates, best weighed first, not claimed.
    assert [s['host'] for s in alternates] == ['h3', 'h1']
    assert allocations.allocations_get_by_consumer(
        ctxt, request['instance_uuid']) == {
        nodes['h2']['id']: {'VCPU': 2, 'MEMORY_MB': 1024, 'DISK_GB': 10}}


def test_no_valid_host_names_each_filter(scheduler, ctxt):
    make_node(ctxt, 'small1', memory_mb=1024)
    make_node(ctxt, 'small2', memory_mb=1024)
    make_node(ctxt, 'few-cpus', vcpus=2)
    make_node(ctxt, 'down', up=False)

    with pytest.raises(exception.NoValidHost) as info:
        select(scheduler, ctxt, spec(vcpus=4, memory_mb=2048))

    assert info.value.kwargs['reason'] == (
        'ComputeFilter removed 1 of 4 hosts; RamFilter removed 2 of 3 '
        'hosts; CoreFilter removed 1 of 1 hosts.')
    assert 'No valid host was found. ComputeFilter' in str(info.value)


def test_disabled_service_is_skipped(scheduler, ctxt):
    disabled = make_node(ctxt, 'disabled', memory_mb=65536)
    services.service_update(ctxt, disabled['service_id'],
                            {'disabled': True})
    make_node(ctxt, 'enabled')

    [[first, *_]] = select(scheduler, ctxt, spec())

    assert first['host'] == 'enabled'


def test_multi_create_claims_every_instance(scheduler, ctxt):
    for host in ('h1', 'h2'):
        make_node(ctxt, host, vcpus=2)
    uuids = [uuidutils.generate_uuid() for _ in range(4)]

    result = select(scheduler, ctxt, spec(vcpus=1), uuids)

    assert len(result) == 4
    hosts = sorted(selections[0]['host'] for selections in result)
    assert hosts == ['h1', 'h1', 'h2', 'h2']
    for uuid in uuids:
        assert allocations.allocations_get_by_consumer(ctxt, uuid)


@database.all_backends
def test_multi_create_is_all_or_nothing(scheduler, ctxt):
    node = make_node(ctxt, 'h1', vcpus=2)
    uuids = [uuidutils.generate_uuid() for _ in range(3)]

    with pytest.raises(exception.NoValidHost, match='CoreFilter removed 1'):
        select(scheduler, ctxt, spec(vcpus=1), uuids)

    assert allocations.allocations_get_by_node(ctxt, node['id']) == {}


def test_anti_affinity_group_spreads_a_multi_create(scheduler, ctxt):
    for host in ('h1', 'h2', 'h3'):
        make_node(ctxt, host)
    uuids = [uuidutils.generate_uuid() for _ in range(3)]
    group = {'uuid': 'g1', 'policy': 'anti-affinity', 'rules': {},
             'members': list(uuids), 'hosts': []}

    result = select(scheduler, ctxt, spec(instance_group=group), uuids)

    assert sorted(s[0]['host'] for s in result) == ['h1', 'h2', 'h3']
    with pytest.raises(exception.NoValidHost,
                       match='ServerGroupAntiAffinityFilter removed 3'):
        select(scheduler, ctxt, spec(instance_group=group),
               [*uuids, uuidutils.generate_uuid()])


def test_group_members_are_found_in_the_instances_table(scheduler, ctxt):
    for host in ('h1', 'h2'):
        make_node(ctxt, host)
    member = factories.make_instance(ctxt, host='h1', node='h1-node')
    group = {'uuid': 'g1', 'policy': 'affinity', 'rules': {},
             'members': [member['uuid']], 'hosts': []}

    [[first, *_]] = select(scheduler, ctxt, spec(instance_group=group))

    assert first['host'] == 'h1'


def test_same_and_different_host_hints(scheduler, ctxt):
    for host in ('h1', 'h2', 'h3'):
        make_node(ctxt, host, memory_mb=8192 if host != 'h3' else 65536)
    on_h1 = factories.make_instance(ctxt, host='h1', node='h1-node')
    on_h3 = factories.make_instance(ctxt, host='h3', node='h3-node')

    [[same, *_]] = select(scheduler, ctxt, spec(
        scheduler_hints={'same_host': [on_h1['uuid']]}))
    [[different, *_]] = select(scheduler, ctxt, spec(
        scheduler_hints={'different_host': [on_h3['uuid']]}))

    assert same['host'] == 'h1'
    assert different['host'] in ('h1', 'h2')


def test_availability_zone_from_aggregates(scheduler, ctxt):
    make_node(ctxt, 'h1', memory_mb=65536)
    make_node(ctxt, 'h2')
    factories.make_aggregate(ctxt, hosts=('h2',),
                             metadata={'availability_zone': 'az2'})

    [[first, *_]] = select(scheduler, ctxt, spec(availability_zone='az2'))

    assert first['host'] == 'h2'


def test_retry_ignore_and_force_hosts(scheduler, ctxt):
    for host, mem in (('h1', 65536), ('h2', 32768), ('h3', 8192)):
        make_node(ctxt, host, memory_mb=mem)

    [[retried, *alts]] = select(scheduler, ctxt, spec(
        retry={'num_attempts': 2, 'hosts': [['h1', 'h1-node']]}))
    [[ignored, *_]] = select(scheduler, ctxt, spec(ignore_hosts=['h2']))
    [[forced, *_]] = select(scheduler, ctxt, spec(force_hosts=['h3']))
    [[destined, *_]] = select(scheduler, ctxt, spec(
        requested_destination={'host': 'h3', 'node': None}))

    assert retried['host'] == 'h2' and 'h1' not in [a['host'] for a in alts]
    assert ignored['host'] == 'h1'
    assert forced['host'] == destined['host'] == 'h3'


def test_stale_cache_loses_claim_and_moves_on(ctxt, db, flags):
    from nova.scheduler import manager
    flags(host_subset_size=1, host_state_full_reload_interval=3600)
    one, two = (manager.SchedulerManager(host=f's{i}') for i in (1, 2))
    make_node(ctxt, 'big', vcpus=1, memory_mb=65536)
    make_node(ctxt, 'small', vcpus=1)
    for scheduler in (one, two):
        scheduler.host_manager.get_host_states(ctxt)  # warm the caches

    [[a, *_]] = select(one, ctxt, spec())
    [[b, *_]] = select(two, ctxt, spec())

    assert (a['host'], b['host']) == ('big', 'small')


def test_build_failures_push_a_host_back(scheduler, ctxt):
    make_node(ctxt, 'flaky', memory_mb=65536)
    make_node(ctxt, 'steady')

    scheduler.note_build_failure(ctxt, host='flaky')
    [[first, *_]] = select(scheduler, ctxt, spec())
    scheduler.note_build_success(ctxt, host='flaky')
    [[second, *_]] = select(scheduler, ctxt, spec())

    assert (first['host'], second['host']) == ('steady', 'flaky')


def test_claim_alternate(scheduler, ctxt):
    make_node(ctxt, 'h1', vcpus=1)
    make_node(ctxt, 'h2', vcpus=1, memory_mb=4096)
    request = spec()
    [[first, alternate]] = select(scheduler, ctxt, request)
    other = uuidutils.generate_uuid()

    # The build on the first host failed: release, then reclaim.
    allocations.release_resources(ctxt, request['instance_uuid'])
    assert scheduler.claim_alternate(ctxt, request,
                                     request['instance_uuid'], alternate)
    assert not scheduler.claim_alternate(ctxt, request, other, alternate)
    assert allocations.allocations_get_by_consumer(
        ctxt, request['instance_uuid']) == {
        alternate['compute_node_id']: alternate['allocations']}


def test_log_weighed_hosts(scheduler, ctxt, flags, caplog):
    flags(log_weighed_hosts=True)
    make_node(ctxt, 'h1')
    make_node(ctxt, 'h2', memory_mb=16384)

    with caplog.at_level('INFO', logger='nova.scheduler.pipeline'):
        select(scheduler, ctxt, spec())

    [line] = [r.getMessage() for r in caplog.records
              if r.getMessage().startswith('Weighed hosts')]
    assert line.index('h2/h2-node=') < line.index('h1/h1-node=')


def test_reschedule_releases_the_failed_nodes_claim(scheduler, ctxt):
    make_node(ctxt, 'h1', memory_mb=65536)
    make_node(ctxt, 'h2')
    request = spec()
    [[first, *_]] = select(scheduler, ctxt, request)

    request['retry'] = {'num_attempts': 2,
                        'hosts': [[first['host'], first['nodename']]]}
    [[second, *_]] = select(scheduler, ctxt, request)

    assert (first['host'], second['host']) == ('h1', 'h2')
    assert allocations.allocations_get_by_consumer(
        ctxt, request['instance_uuid']) == {
        second['compute_node_id']: second['allocations']}


def test_claims_of_abandoned_instances_are_given_back(db, ctxt):
    from nova.scheduler import claims
    node = factories.make_compute_node(ctxt)
    waiting = factories.make_instance(ctxt, vm_state='building',
                                      task_state='scheduling')
    given_up = factories.make_instance(ctxt, vm_state='error',
                                       task_state=None)
    for instance in (waiting, given_up):
        allocations.claim_resources(ctxt, node['id'], instance['uuid'],
                                    {'VCPU': 1, 'MEMORY_MB': 64})
    claims.release_abandoned(ctxt, [waiting['uuid'], given_up['uuid']])
    assert allocations.allocations_get_by_consumer(ctxt, waiting['uuid'])
    assert not allocations.allocations_get_by_consumer(ctxt,
                                                       given_up['uuid'])
