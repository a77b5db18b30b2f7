"""Why hosts were eliminated: the NoValidHost reason and the log line.

Every step that shrinks the candidate list (request constraints such as
``ignore_hosts``, each filter, lost claims) records how many hosts it
removed, so an operator reading an instance fault sees e.g.
``RamFilter removed 7 of 10 hosts; CoreFilter removed 3 of 3 hosts``.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class Step:
    name: str
    before: int
    after: int

    @property
    def removed(self) -> int:
        return self.before - self.after


class Explanation:
    def __init__(self, total_hosts: int) -> None:
        self.total_hosts = total_hosts
        self.steps: list[Step] = []
        self.lost_claims: list[str] = []

    def record(self, name: str, before: int, after: int) -> None:
        self.steps.append(Step(name, before, after))

    def lost_claim(self, host: str, why: str) -> None:
        self.lost_claims.append(f'{host} ({why})')

    def reason(self) -> str:
        if not self.total_hosts:
            return 'There are no compute nodes.'
        parts = [f'{step.name} removed {step.removed} of {step.before} '
                 f'hosts' for step in self.steps if step.removed]
        if self.lost_claims:
            shown = ', '.join(self.lost_claims[:5])
            more = len(self.lost_claims) - 5
            parts.append(f'claims failed on {len(self.lost_claims)} hosts: '
                         f'{shown}' + (f' and {more} more' if more > 0
                                       else ''))
        if not parts:
            return f'{self.total_hosts} hosts considered.'
        return '; '.join(parts) + '.'

    def summary(self) -> str:
        """Every step, also those that removed nothing (for the log)."""
        return ', '.join(f'{s.name}: {s.before}->{s.after}'
                         for s in self.steps)
