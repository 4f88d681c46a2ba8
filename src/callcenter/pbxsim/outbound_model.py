"""The outcome model of campaign calls (see ``outbound``)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutboundModel:
    """How the called numbers answer.

    Shares are of all dials; the rest of 1 after ``live``, ``machine``,
    ``busy`` and ``invalid`` is no answer. ``prefixes`` forces the outcome
    of numbers starting with a prefix (longest first), for tests.
    """

    live: float = 0.30
    machine: float = 0.15
    busy: float = 0.05
    invalid: float = 0.05
    #: Seconds a live or machine number rings before it answers.
    answer_delay: tuple[float, float] = (5.0, 20.0)
    #: Seconds an unanswered number rings (the Originate's Timeout cuts it).
    noanswer_ring: float = 25.0
    #: Seconds before a busy or invalid number fails.
    fail_delay: float = 1.0
    #: Mean talk time of a connected call (exponential).
    talk_mean: float = 180.0
    #: Seconds AMD listens before it decides (greeting and silence).
    amd_seconds: float = 2.0
    #: Seconds the abandon message plays before the hang-up.
    abandon_message: float = 4.0
    #: Seconds an agent's phone rings before it answers (auto-answer).
    agent_ring: float = 0.5
    prefixes: tuple[tuple[str, str], ...] = ()
    seed: int | None = None

    def forced(self, number: str) -> str | None:
        for prefix, outcome in sorted(self.prefixes,
                key=lambda item: -len(item[0])):
            if number.startswith(prefix):
                return outcome
        return None
