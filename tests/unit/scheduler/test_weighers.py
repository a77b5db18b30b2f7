"""Weighers, normalisation and multipliers."""

import pytest

from nova.scheduler import weighers
from nova.scheduler.weighers import build_failure
from nova.scheduler.weighers import cpu
from nova.scheduler.weighers import disk
from nova.scheduler.weighers import io_ops
from nova.scheduler.weighers import ram
from nova.scheduler.weighers import server_group_soft_affinity as soft_aff
from nova.scheduler.weighers import server_group_soft_anti_affinity as anti
from tests.unit.scheduler.factories import make_host
from tests.unit.scheduler.factories import make_request


def _ranked(weigher_list, hosts, request=None):
    weighed = weighers.weigh_hosts(weigher_list, hosts,
                                   request or make_request())
    return [state.host for _, state in weighed]


def test_normalize():
    assert weighers.normalize([2, 4, 6]) == [0.0, 0.5, 1.0]
    assert weighers.normalize([5, 5]) == [0.0, 0.0]
    assert weighers.normalize([]) == []


@pytest.mark.parametrize('weigher, kwargs', [
    (ram.RAMWeigher(), 'memory_mb'),
    (cpu.CPUWeigher(), 'vcpus'),
    (disk.DiskWeigher(), 'disk_gb'),
])
def test_resource_weighers_spread_by_default(weigher, kwargs):
    hosts = [make_host('small', **{kwargs: 10}),
             make_host('big', **{kwargs: 1000}),
             make_host('mid', **{kwargs: 100})]
    assert _ranked([weigher], hosts) == ['big', 'mid', 'small']


def test_negative_multiplier_stacks(flags):
    flags(ram_weight_multiplier=-1.0)
    hosts = [make_host('small', memory_mb=1024),
             make_host('big', memory_mb=8192)]
    assert _ranked([ram.RAMWeigher()], hosts) == ['small', 'big']


def test_zero_multiplier_disables(flags):
    flags(ram_weight_multiplier=0.0)
    hosts = [make_host('a', memory_mb=1024), make_host('b', memory_mb=8192)]
    assert _ranked([ram.RAMWeigher()], hosts) == ['a', 'b']


def test_weights_are_normalised_before_multiplying(flags):
    # Without normalisation MB of RAM would drown VCPU counts.
    flags(ram_weight_multiplier=1.0, cpu_weight_multiplier=2.0)
    hosts = [make_host('ram-rich', memory_mb=65536, vcpus=4),
             make_host('cpu-rich', memory_mb=8192, vcpus=64)]
    ranked = weighers.weigh_hosts([ram.RAMWeigher(), cpu.CPUWeigher()],
                                  hosts, make_request())
    assert [(pytest.approx(w), s.host) for w, s in ranked] == [
        (2.0, 'cpu-rich'), (1.0, 'ram-rich')]


def test_io_ops_weigher_prefers_quiet_hosts():
    hosts = [make_host('busy', num_io_ops=5), make_host('idle')]
    assert _ranked([io_ops.IoOpsWeigher()], hosts) == ['idle', 'busy']


def test_build_failure_weigher_puts_failing_hosts_last():
    failing, fine = make_host('failing', memory_mb=65536), make_host('fine')
    failing.failed_builds = 2
    ranked = _ranked([ram.RAMWeigher(), build_failure.BuildFailureWeigher()],
                     [failing, fine])
    assert ranked == ['fine', 'failing']


def _group_request(policy, group_hosts):
    return make_request(instance_group={'uuid': 'g', 'policy': policy,
                                        'members': [], 'rules': {}},
                        group_hosts=group_hosts)


def test_soft_affinity_weigher_gathers():
    request = _group_request('soft-affinity', {'h2': 2, 'h3': 1})
    hosts = [make_host('h1'), make_host('h2'), make_host('h3')]
    assert _ranked([soft_aff.ServerGroupSoftAffinityWeigher()], hosts,
                   request) == ['h2', 'h3', 'h1']


def test_soft_anti_affinity_weigher_spreads():
    request = _group_request('soft-anti-affinity', {'h2': 2, 'h3': 1})
    hosts = [make_host('h2'), make_host('h3'), make_host('h1')]
    assert _ranked([anti.ServerGroupSoftAntiAffinityWeigher()], hosts,
                   request) == ['h1', 'h3', 'h2']


def test_soft_weighers_idle_for_other_policies():
    request = _group_request('anti-affinity', {'h1': 1})
    assert not soft_aff.ServerGroupSoftAffinityWeigher().relevant(request)
    assert not anti.ServerGroupSoftAntiAffinityWeigher().relevant(request)
