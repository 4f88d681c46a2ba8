"""An in-memory lead list for the dialer engine's own tests: each lead is
dialled until it gets an outcome, once (the recycling rules are the
campaign module's, tested with the Tryton store)."""
from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

from trytond.modules.callcenter_campaign.dialer.engine import (
    CampaignPlan, Dial, Stats)
from trytond.modules.callcenter_campaign.dialer.tracking import Outcome


@dataclass
class MemoryStore:
    plan: CampaignPlan
    numbers: list[str]
    attempts: dict[int, str] = field(default_factory=dict)
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    released: list[int] = field(default_factory=list)
    open_at_start: int = 0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    done: threading.Event = field(default_factory=threading.Event)

    def running(self) -> list[CampaignPlan]:
        return [] if self.done.is_set() else [self.plan]

    def stats(self, campaign: int) -> Stats:
        with self._lock:
            done = list(self.outcomes.values())
        live = sum(o.outcome in ('live', 'abandoned') for o in done)
        abandoned = sum(o.outcome == 'abandoned' for o in done)
        return Stats(live, abandoned, live, abandoned)

    def next_leads(self, campaign: int, count: int) -> list[Dial]:
        with self._lock:
            dials = []
            while self.numbers and len(dials) < count:
                attempt = next(self._ids)
                self.attempts[attempt] = self.numbers.pop(0)
                dials.append(Dial(attempt, self.attempts[attempt]))
            return dials

    def record(self, outcomes: list[Outcome]) -> None:
        with self._lock:
            for outcome in outcomes:
                assert outcome.attempt not in self.outcomes, 'twice'
                self.outcomes[outcome.attempt] = outcome
            if not self.numbers and len(self.outcomes) + len(
                    self.released) >= len(self.attempts):
                self.done.set()

    def release(self, attempts: list[int]) -> None:
        with self._lock:
            for attempt in attempts:
                self.numbers.append(self.attempts[attempt])
                self.released.append(attempt)

    def reconcile(self) -> int:
        return self.open_at_start

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes.values())

    def previews(self, campaign: int) -> list[Dial]:
        return []
