"""The pure parts of the select_destinations flow (no database)."""

import random

from nova.scheduler import pipeline
from nova.scheduler.explain import Explanation
from tests.unit.scheduler.factories import make_host
from tests.unit.scheduler.factories import make_request


def test_rank_matches_a_stable_sort():
    hosts = [make_host(f'h{i}') for i in range(200)]
    totals = [random.choice([0.0, 0.5, 1.0, 2.5]) for _ in hosts]
    expected = [hosts[i] for i in sorted(range(200), key=totals.__getitem__,
                                         reverse=True)]

    head, rest = pipeline._rank(totals, hosts, 10)

    assert head == expected[:10]
    assert head + list(rest()) == expected


def test_alternates_are_other_hosts_with_room():
    chosen = make_host('h1', nodename='n1')
    same_host = make_host('h1', nodename='n2')
    full = make_host('h2', used={'VCPU': 8})
    ok = [make_host('h3'), make_host('h4'), make_host('h5')]
    resources = make_request().resources

    alternates = pipeline._alternates([chosen, same_host, full, *ok],
                                      chosen, resources, 2)

    assert alternates == ok[:2]


def test_narrow_applies_request_constraints_and_explains():
    hosts = [make_host(f'h{i}') for i in range(5)]
    request = make_request(
        ignore_hosts=['h0'], retry={'hosts': [['h1', 'h1-node']]},
        requested_destination={'host': 'h2', 'node': None})
    explanation = Explanation(5)

    narrowed = pipeline._narrow(hosts, request, explanation)

    assert [h.host for h in narrowed] == ['h2']
    assert explanation.reason() == (
        'retry (hosts already tried) removed 1 of 5 hosts; ignore_hosts '
        'removed 1 of 4 hosts; requested_destination removed 2 of 3 '
        'hosts.')


def test_irrelevant_filters_are_skipped_and_not_reported():
    from nova.scheduler.filters.ram import RamFilter
    from nova.scheduler.filters.same_host import SameHostFilter
    hosts = [make_host('big', memory_mb=4096), make_host('small',
                                                         memory_mb=256)]
    explanation = Explanation(2)

    passed = pipeline.run_filters([SameHostFilter(), RamFilter()], hosts,
                                  make_request(memory_mb=512), explanation)

    assert [h.host for h in passed] == ['big']
    assert explanation.summary() == 'RamFilter: 2->1'


def test_host_states_share_aggregate_metadata():
    shared = {}
    aggregates = [{'id': 1, 'name': 'a', 'metadata': {'k': 'v'}}]
    one, two = make_host('h1'), make_host('h2')
    one.set_aggregates(aggregates, 'nova', shared)
    two.set_aggregates(list(aggregates), 'nova', shared)

    assert one.aggregate_metadata is two.aggregate_metadata
    assert one.aggregate_metadata == {'k': {'v'}}
