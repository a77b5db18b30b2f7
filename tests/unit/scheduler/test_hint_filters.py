"""Filters driven by scheduler hints and server groups."""

import json

import pytest

from nova.scheduler.filters import different_host
from nova.scheduler.filters import json_filter
from nova.scheduler.filters import same_host
from nova.scheduler.filters import server_group_affinity
from nova.scheduler.filters import server_group_anti_affinity
from nova.scheduler.filters import simple_cidr_affinity
from tests.unit.scheduler.factories import make_host
from tests.unit.scheduler.factories import make_request


def test_same_host_filter():
    request = make_request(scheduler_hints={'same_host': ['u1']})
    request.same_host_hosts = {'h1'}
    f = same_host.SameHostFilter()
    assert f.relevant(request)
    assert f.host_passes(make_host('h1'), request)
    assert not f.host_passes(make_host('h2'), request)
    assert not f.relevant(make_request())


def test_different_host_filter():
    request = make_request(scheduler_hints={'different_host': ['u1']})
    request.different_host_hosts = {'h1'}
    f = different_host.DifferentHostFilter()
    assert not f.host_passes(make_host('h1'), request)
    assert f.host_passes(make_host('h2'), request)


@pytest.mark.parametrize('query, passes', [
    (['>=', '$free_ram_mb', 1024], True),
    (['<', '$free_ram_mb', 1024], False),
    (['and', ['=', '$host', 'h1'], ['>', '$free_vcpus', 4]], True),
    (['or', ['=', '$host', 'h2'], ['not', ['=', '$host', 'h1']]], False),
    (['in', '$host', 'h1', 'h3'], True),
    (['=', '$cpu_info.arch', 'x86_64'], True),
    (['=', '$no_such_attribute', 1], False),
    (['bogus', 1], False),
])
def test_json_filter(query, passes):
    host = make_host('h1', cpu_info={'arch': 'x86_64'})
    request = make_request(scheduler_hints={'query': json.dumps(query)})
    assert json_filter.JsonFilter().host_passes(host, request) is passes


def test_json_filter_rejects_malformed_query():
    request = make_request(scheduler_hints={'query': '[>= broken'})
    assert not json_filter.JsonFilter().host_passes(make_host(), request)


def test_simple_cidr_affinity_filter():
    request = make_request(scheduler_hints={
        'build_near_host_ip': '10.1.2.3', 'cidr': '/24'})
    f = simple_cidr_affinity.SimpleCIDRAffinityFilter()
    assert f.host_passes(make_host(host_ip='10.1.2.200'), request)
    assert not f.host_passes(make_host(host_ip='10.1.3.1'), request)
    assert not f.host_passes(make_host(), request)


def _group(policy, **rules):
    return {'uuid': 'g1', 'policy': policy, 'rules': rules,
            'members': [], 'hosts': []}


def test_affinity_filter_follows_the_first_member():
    f = server_group_affinity.ServerGroupAffinityFilter()
    empty = make_request(instance_group=_group('affinity'))
    assert not f.relevant(empty)  # the first member goes anywhere
    request = make_request(instance_group=_group('affinity'),
                           group_hosts={'h1': 1})
    assert f.host_passes(make_host('h1'), request)
    assert not f.host_passes(make_host('h2'), request)


def test_anti_affinity_filter_spreads_with_max_per_host():
    f = server_group_anti_affinity.ServerGroupAntiAffinityFilter()
    request = make_request(instance_group=_group('anti-affinity'),
                           group_hosts={'h1': 1})
    assert not f.host_passes(make_host('h1'), request)
    assert f.host_passes(make_host('h2'), request)
    relaxed = make_request(
        instance_group=_group('anti-affinity', max_server_per_host=2),
        group_hosts={'h1': 1})
    assert f.host_passes(make_host('h1'), relaxed)


def test_group_filters_ignore_other_policies():
    request = make_request(instance_group=_group('soft-affinity'),
                           group_hosts={'h1': 1})
    assert not server_group_affinity.ServerGroupAffinityFilter().relevant(
        request)
    assert not (server_group_anti_affinity.ServerGroupAntiAffinityFilter()
                .relevant(request))
