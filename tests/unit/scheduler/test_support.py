"""Plugin loading, spec matching, requests and explanations."""

import pytest

from nova import exception
from nova.conf import filter_scheduler
from nova.scheduler import explain
from nova.scheduler import loader
from nova.scheduler import request as sched_request
from nova.scheduler import spec_ops


def test_every_default_plugin_is_installed():
    filters = loader.load(loader.FILTERS_NAMESPACE,
                          filter_scheduler.DEFAULT_FILTERS, 'filter')
    weighers = loader.load(loader.WEIGHERS_NAMESPACE,
                           filter_scheduler.DEFAULT_WEIGHERS, 'weigher')
    assert [f.name for f in filters] == filter_scheduler.DEFAULT_FILTERS
    assert [w.name for w in weighers] == filter_scheduler.DEFAULT_WEIGHERS


def test_all_nineteen_filters_are_installed():
    assert len(loader.available(loader.FILTERS_NAMESPACE)) == 19


def test_unknown_filter_names_the_available_ones():
    with pytest.raises(exception.SchedulerPluginNotFound) as info:
        loader.load(loader.FILTERS_NAMESPACE, ['RamFilter', 'RamFiltre'],
                    'filter')
    message = info.value.format_message()
    assert 'RamFiltre' in message
    assert 'RamFilter, ' in message and 'ComputeFilter' in message


@pytest.mark.parametrize('value, requirement, ok', [
    (4, '4', True), ('4.0', '4', True), ('kvm', 'kvm', True),
    (8192, '>= 4096', True), (1024, '>= 4096', False),
    (1024, '= 512', True), (5, '!= 5', False), (5, '< 6', True),
    ('abc', 's== abc', True), ('abc', 's!= abc', False),
    ('abc', 's< abd', True), ('x86_64', '<in> 86', True),
    (['a', 'b'], '<all-in> a b', True), (['a'], '<all-in> a b', False),
    ('kvm', '<or> qemu <or> kvm', True), ('xen', '<or> qemu <or> kvm',
                                            False),
    ('x', '>= 1', False),
])
def test_spec_ops(value, requirement, ok):
    assert spec_ops.match(value, requirement) is ok


def test_scoped_specs():
    specs = {'capabilities:a': '1', 'b': '2', 'hw:c': '3'}
    assert spec_ops.scoped(specs, 'capabilities') == {'a': '1', 'b': '2'}
    assert spec_ops.scoped(specs, 'hw', unscoped_too=False) == {'c': '3'}


def test_resources_from_flavor_rounds_swap_up():
    assert sched_request.resources_from_flavor(
        {'vcpus': 2, 'memory_mb': 2048, 'root_gb': 10, 'ephemeral_gb': 5,
         'swap': 1}) == {'VCPU': 2, 'MEMORY_MB': 2048, 'DISK_GB': 16}


def test_request_needs_flavor_and_uuids():
    with pytest.raises(exception.Invalid, match='flavor'):
        sched_request.from_spec({'instance_uuid': 'u'})
    with pytest.raises(exception.Invalid, match='uuid'):
        sched_request.from_spec({'flavor': {'vcpus': 1}})
    request = sched_request.from_spec(
        {'flavor': {'vcpus': 1}, 'retry': {'hosts': [['h', 'n']]},
         'force_hosts': 'h1'}, ['u1', 'u2'])
    assert request.instance_uuids == ['u1', 'u2']
    assert request.retry_hosts == {('h', 'n')}
    assert request.force_hosts == {'h1'}


def test_explanation_names_filters_and_counts():
    explanation = explain.Explanation(10)
    explanation.record('ComputeFilter', 10, 10)
    explanation.record('RamFilter', 10, 3)
    explanation.record('CoreFilter', 3, 0)
    assert explanation.reason() == (
        'RamFilter removed 7 of 10 hosts; CoreFilter removed 3 of 3 '
        'hosts.')
    assert 'ComputeFilter: 10->10' in explanation.summary()


def test_explanation_of_lost_claims_and_empty_cloud():
    explanation = explain.Explanation(2)
    explanation.lost_claim('h1', 'VCPU: 8 used + 1 requested > 8')
    assert 'claims failed on 1 hosts: h1 (VCPU' in explanation.reason()
    assert explain.Explanation(0).reason() == 'There are no compute nodes.'


def test_scheduler_refuses_to_start_with_an_unknown_weigher(flags):
    from nova.scheduler import manager
    flags(weight_classes=['RAMWeigher', 'NoSuchWeigher'])
    with pytest.raises(exception.SchedulerPluginNotFound,
                       match='NoSuchWeigher not found.*RAMWeigher'):
        manager.SchedulerManager(host='s1')
