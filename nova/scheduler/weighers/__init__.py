"""Host weighers: one small class per module, loaded by entry-point name.

A weigher scores one host for one request with ``_weigh_object``. The
scores of each weigher are normalised to [0, 1] across the candidate
hosts (so RAM in MB and instance counts mix sensibly), multiplied by the
weigher's ``[filter_scheduler] *_weight_multiplier`` and summed; the
highest total wins.
"""

from __future__ import annotations

from collections.abc import Sequence

from oslo_config import cfg

from nova.scheduler.host_state import HostState
from nova.scheduler.request import Request

CONF = cfg.CONF


class BaseWeigher:
    """Subclasses set ``multiplier_option`` and implement
    ``_weigh_object``."""

    multiplier_option = ''

    @property
    def name(self) -> str:
        return type(self).__name__

    def multiplier(self) -> float:
        return float(getattr(CONF.filter_scheduler, self.multiplier_option))

    def relevant(self, request: Request) -> bool:
        return True

    def _weigh_object(self, host_state: HostState, request: Request
                      ) -> float:
        raise NotImplementedError

    def weigh_all(self, hosts: Sequence[HostState], request: Request
                  ) -> list[float]:
        """Raw weights of ``hosts``; weighers that read one attribute
        override this with a plain comprehension (10,000 hosts)."""
        weigh = self._weigh_object
        return [weigh(host, request) for host in hosts]


def normalize(values: Sequence[float]) -> list[float]:
    """Scale to [0, 1]; all-equal values (nothing to tell apart) are 0."""
    if not values:
        return []
    low, high = min(values), max(values)
    if high == low:
        return [0.0] * len(values)
    span = high - low
    return [(value - low) / span for value in values]


def weigh(weighers: Sequence[BaseWeigher], hosts: Sequence[HostState],
          request: Request) -> list[float]:
    """The total weight of each host, in the order of ``hosts``.

    Sum over weighers of multiplier * (raw - low) / (high - low): the
    normalisation is linear, so it folds into one coefficient and one
    offset per weigher, and each weigher costs one pass over the hosts.
    """
    totals: list[float] | None = None
    offset = 0.0
    for weigher in weighers:
        multiplier = weigher.multiplier()
        if not multiplier or not weigher.relevant(request):
            continue
        raw = weigher.weigh_all(hosts, request)
        low, high = min(raw, default=0), max(raw, default=0)
        if high == low:
            continue  # nothing to tell apart: every host gets 0
        coefficient = multiplier / (high - low)
        offset += coefficient * low
        if totals is None:
            totals = [coefficient * value for value in raw]
        else:
            totals = [total + coefficient * value
                      for total, value in zip(totals, raw, strict=True)]
    if totals is None:
        return [0.0] * len(hosts)
    return [total - offset for total in totals]


def weigh_hosts(weighers: Sequence[BaseWeigher], hosts: Sequence[HostState],
                request: Request) -> list[tuple[float, HostState]]:
    """(weight, host) pairs, best first; ties keep the input order."""
    totals = weigh(weighers, hosts, request)
    order = sorted(range(len(hosts)), key=totals.__getitem__, reverse=True)
    return [(totals[i], hosts[i]) for i in order]
