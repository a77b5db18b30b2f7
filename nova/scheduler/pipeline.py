"""select_destinations: host states -> filters -> weighers -> claims.

The flow the SchedulerManager's RPC method runs (STYLE.md habit 3). For
each instance of the request:

1. narrow the cached host states by the request's own constraints
   (hosts already tried, ``ignore_hosts``, ``force_hosts``/``force_nodes``,
   ``requested_destination``);
2. run the enabled filters (forced hosts skip them, as an admin's force
   overrides policy; the claim still checks capacity);
3. weigh, pick at random among the ``host_subset_size`` best;
4. claim atomically in the database, falling through to the next best
   host when a claim loses a race;
5. keep up to ``max_attempts - 1`` alternates (not claimed).

On a reschedule (``retry.hosts`` set) the instance's allocations left on
the nodes that failed it are released first.

One instance that cannot be placed releases every claim of the request
and raises NoValidHost, naming what eliminated the hosts.
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import Any

from oslo_config import cfg
from oslo_log import log as logging

from nova import exception
from nova.scheduler import claims
from nova.scheduler import host_manager as hm
from nova.scheduler import request as sched_request
from nova.scheduler import weighers as weighers_base
from nova.scheduler.explain import Explanation
from nova.scheduler.host_state import HostState

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

# Best hosts ranked up front beyond those a request normally needs, so a
# few lost claims do not force a sort of every host.
HEAD_SLACK = 16


def _lazy(make: Callable[[], Iterator[HostState]]) -> Iterator[HostState]:
    yield from make()


# Host states are shared by the threads of one scheduler; consumption
# updates must not interleave.
_CONSUME_LOCK = threading.Lock()


def _narrow(hosts: list[HostState], request: sched_request.Request,
            explanation: Explanation) -> list[HostState]:
    def step(name: str, keep: Any) -> None:
        nonlocal hosts
        before = len(hosts)
        hosts = [host for host in hosts if keep(host)]
        explanation.record(name, before, len(hosts))

    if request.retry_hosts:
        step('retry (hosts already tried)', lambda h: (
            (h.host, h.nodename) not in request.retry_hosts))
    if request.ignore_hosts:
        step('ignore_hosts', lambda h: h.host not in request.ignore_hosts)
    if request.force_hosts:
        step('force_hosts', lambda h: h.host in request.force_hosts)
    if request.force_nodes:
        step('force_nodes', lambda h: h.nodename in request.force_nodes)
    destination = request.requested_destination
    if destination:
        if destination.get('host'):
            step('requested_destination', lambda h: (
                h.host == destination['host']))
        if destination.get('node'):
            step('requested_destination node', lambda h: (
                h.nodename == destination['node']))
    return hosts


def run_filters(filters: Sequence[Any], hosts: list[HostState],
                request: sched_request.Request,
                explanation: Explanation) -> list[HostState]:
    for host_filter in filters:
        if not hosts:
            break
        if not host_filter.relevant(request):
            continue
        before = len(hosts)
        hosts = host_filter.filter_all(hosts, request)
        explanation.record(host_filter.name, before, len(hosts))
    return hosts


def _selection(state: HostState, resources: dict[str, int]
               ) -> dict[str, Any]:
    return {'host': state.host, 'nodename': state.nodename,
            'compute_node_id': state.compute_node_id,
            'compute_node_uuid': state.compute_node_uuid,
            'allocations': dict(resources)}


def _rank(totals: list[float], hosts: list[HostState], head_size: int
          ) -> tuple[list[HostState], Callable[[], Iterator[HostState]]]:
    """The ``head_size`` best hosts, and a function yielding the rest in
    order. Sorting 10,000 hosts costs more than the whole filtering; the
    rest is needed only when every claim in the head lost its race.
    """
    # (total, -index) tuples compare in C, and the negated index keeps
    # the input order among equal weights, like a stable sort.
    head = [-negated for _, negated in heapq.nlargest(
        head_size, zip(totals, range(0, -len(hosts), -1), strict=True))]

    def rest() -> Iterator[HostState]:
        taken = set(head)
        for index in sorted((i for i in range(len(hosts))
                             if i not in taken),
                            key=totals.__getitem__, reverse=True):
            yield hosts[index]

    return [hosts[i] for i in head], rest


def _alternates(ranked: Iterable[HostState], chosen: HostState,
                resources: dict[str, int], count: int
                ) -> list[HostState]:
    result: list[HostState] = []
    seen = {chosen.host}
    for state in ranked:
        if len(result) >= count:
            break
        if state.host in seen:
            continue
        if all(state.fits(rc, amount) for rc, amount in resources.items()):
            result.append(state)
            seen.add(state.host)
    return result


def _log_weighed(totals: list[float], hosts: list[HostState]) -> None:
    if CONF.filter_scheduler.log_weighed_hosts:
        order = sorted(range(len(hosts)), key=totals.__getitem__,
                       reverse=True)
        LOG.info('Weighed hosts: %s', ', '.join(
            f'{hosts[i].host}/{hosts[i].nodename}={totals[i]:.4f}'
            for i in order))


class Scheduler:
    """The filter scheduler over one HostManager's cached host states."""

    def __init__(self, host_manager: hm.HostManager,
                 filters: Sequence[Any], weighers: Sequence[Any]) -> None:
        self.host_manager = host_manager
        self.filters = list(filters)
        self.weighers = list(weighers)

    def select_destinations(self, context: Any,
                            request_spec: dict[str, Any],
                            instance_uuids: list[str]
                            ) -> list[list[dict[str, Any]]]:
        request = sched_request.from_spec(request_spec, instance_uuids)
        states = self.host_manager.get_host_states(context)
        hm.resolve_request_hosts(context, request)
        explanation = Explanation(len(states))
        candidates = _narrow(states, request, explanation)
        forced = bool(request.force_hosts or request.force_nodes)
        if request.retry_hosts:
            # A reschedule: what the instance still holds on the nodes
            # that failed it would otherwise leak next to the new claim.
            failed = [s.compute_node_id for s in states
                      if (s.host, s.nodename) in request.retry_hosts]
            for uuid in request.instance_uuids:
                claims.release_on_nodes(context, uuid, failed)
        claimed: list[str] = []
        result = []
        try:
            for uuid in request.instance_uuids:
                attempt = Explanation(len(states))
                attempt.steps = list(explanation.steps)
                selections = self._place(context, request, uuid,
                                         candidates, forced, attempt)
                if selections is None:
                    raise exception.NoValidHost(reason=attempt.reason())
                claimed.append(uuid)
                result.append(selections)
        except exception.NoValidHost as exc:
            claims.release(context, claimed)
            LOG.info('No valid host for %s: %s', request.instance_uuids,
                     exc.kwargs.get('reason'))
            raise
        except Exception:
            claims.release(context, claimed + [request.instance_uuids[
                len(claimed)]])
            raise
        return result

    def _place(self, context: Any, request: sched_request.Request,
               uuid: str, candidates: list[HostState], forced: bool,
               explanation: Explanation) -> list[dict[str, Any]] | None:
        hosts = candidates if forced else run_filters(
            self.filters, candidates, request, explanation)
        LOG.debug('Filtering for %s: %s', uuid, explanation.summary())
        if not hosts:
            return None
        totals = weighers_base.weigh(self.weighers, hosts, request)
        _log_weighed(totals, hosts)
        subset = max(1, CONF.filter_scheduler.host_subset_size)
        attempts = CONF.scheduler.max_attempts
        head, rest = _rank(totals, hosts, subset + attempts + HEAD_SLACK)
        first = random.choice(head[:subset])
        order = itertools.chain(
            [first], (state for state in head if state is not first),
            _lazy(rest))
        chosen = claims.claim_first_fitting(
            context, order, uuid, request.resources, explanation,
            on_lost=lambda state: self.host_manager.refresh_node(
                context, state))
        if chosen is None:
            return None
        with _CONSUME_LOCK:
            # Re-read the node's usage, which now holds this claim, rather
            # than adding the claim to our figures: a refresh by a
            # concurrent request may already have counted it, and counting
            # it twice makes the node look fuller than it is (requests then
            # fail with no valid host while room is left).
            self.host_manager.refresh_node(context, chosen)
            chosen.consume({})  # the instance and I/O counters only
        if request.group:
            # Later instances of this request see this one as a member.
            request.group_hosts[chosen.host] += 1
        LOG.debug('Placed %s on %s/%s', uuid, chosen.host, chosen.nodename)
        alternates = _alternates(itertools.chain(head, _lazy(rest)),
                                 chosen, request.resources, attempts - 1)
        return [_selection(state, request.resources)
                for state in [chosen, *alternates]]
