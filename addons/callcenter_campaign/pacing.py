"""Predictive pacing: how many calls a campaign places now.

Pure and clock-free: the caller describes the campaign's present state in
a :class:`PacingState` and :meth:`Pacer.decide` answers with a
:class:`Decision` whose ``calls`` is the number of new calls to place.  The
live dialer and ``bench/dialer_pacing.py`` use the same class unchanged.

Stable API (the dialer depends on it)::

    pacer = Pacer(PacingConfig(abandon_limit=0.03))
    decision = pacer.decide(PacingState(
        agents_logged_in=20, agents_ready=3, agents_talking=16,
        calls_ringing=7, calls_waiting=0,
        recent=RecentCalls(dials=400, live=120, talks=110,
            talk_seconds=19800, answer_seconds=1500),
        live_24h=900, abandoned_24h=20, live_30d=9000, abandoned_30d=250,
        limit=30))
    decision.calls  # new calls to place now (0 <= calls <= limit)

The rule, in plain words:

- No agent logged in, or ``limit`` <= 0: no call.
- Until ``min_dials`` recent dials with some live answers are seen, or when
  the campaign has used up its abandon allowance (abandoned > limit x live
  answers over the last 24 hours or over 30 days, counted as Ofcom and the
  FTC do: machine answers and no answers are outside the denominator), the
  pacer is progressive: one call in flight per ready agent, so that every
  live answer finds an agent.
- Otherwise it is predictive: it learns the contact rate ``p`` (live
  answers / dials), the mean answer delay of live calls ``h`` and the mean
  talk time ``T`` from the recent calls.  The live answers X among the
  ``n`` calls in flight are Binomial(n, p); the agents available when they
  answer are the ready ones, less the calls already waiting, plus the
  talking agents that finish within ``h`` seconds, Binomial(talking,
  1 - exp(-h / T)) (talk times taken as exponential).  The expected drops
  E[max(0, X - C)] (normal approximation of X - C with a continuity
  correction) must stay under both the planned abandon ratio times the
  expected live answers E[X], and the remaining allowance of every window
  (limit x (live + E[X]) - abandoned).  The largest number of new calls
  that keeps both is placed; never fewer than progressive would place.

VICIdial's ADAPT modes (``bin/AST_VDadapt.pl``) react to idle agents minus
waiting calls and fall back to one line per agent once the day's drop rate
is past the limit; this pacer instead plans every call against the
remaining allowance and the chance variation of live answers.
"""
import math
from dataclasses import dataclass

__all__ = ['RecentCalls', 'PacingState', 'PacingConfig', 'Decision', 'Pacer']


@dataclass(frozen=True)
class RecentCalls:
    """Totals over the campaign's recent dials (e.g. the last 500 or the
    last hour), from which the pacer learns.

    dials: calls placed and finished ringing (any outcome).
    live: of those, answered by a person (dropped ones included).
    talks: finished conversations with an agent.
    talk_seconds: the total talk time of those and of the conversations
        still going on (their time so far): with the ongoing ones the
        mean talk time is not biased towards the short calls that have
        already ended (the exponential estimate with censored times).
    answer_seconds: total seconds from dial to answer of the live calls.
    """
    dials: int = 0
    live: int = 0
    talks: int = 0
    talk_seconds: float = 0.0
    answer_seconds: float = 0.0


@dataclass(frozen=True)
class PacingState:
    """The campaign now.

    agents_logged_in: agents joined to the campaign.
    agents_ready: of those, idle and waiting for a call.
    agents_talking: of those, on a call of the campaign.
    calls_ringing: calls placed, not answered yet.
    calls_waiting: live answers waiting for an agent (within the 2 s).
    recent: what was learned from the recent calls.
    live_24h, abandoned_24h: live answers and drops over the last 24 h.
    live_30d, abandoned_30d: the same over 30 days.
    limit: the most calls that may be placed now (free trunk lines, leads
        available); the answer never exceeds it.
    """
    agents_logged_in: int
    agents_ready: int
    agents_talking: int
    calls_ringing: int = 0
    calls_waiting: int = 0
    recent: RecentCalls = RecentCalls()
    live_24h: int = 0
    abandoned_24h: int = 0
    live_30d: int = 0
    abandoned_30d: int = 0
    limit: int = 1_000_000


@dataclass(frozen=True)
class PacingConfig:
    """abandon_limit: the campaign's abandon limit (share of live answers).
    target_ratio: share of the limit the plan aims at (a margin for the
        model's errors); the windows' allowance bounds it too.
    min_dials, min_live: progressive until that many recent dials and live
        answers are known.
    max_lines_per_agent: calls in flight per logged-in agent at most.
    """
    abandon_limit: float = 0.03
    target_ratio: float = 1.0
    z: float = 1.0
    max_ratio_share: float = 2.0
    min_dials: int = 50
    min_live: int = 10
    min_talks: int = 5
    max_lines_per_agent: float = 4.0


@dataclass(frozen=True)
class Decision:
    """calls: new calls to place now.
    mode: 'idle' (no agent or no line), 'learning' (too few calls seen),
        'budget' (allowance used up), 'predictive'.
    progressive: what a progressive dialer would place now.
    contact_rate, answer_seconds, talk_seconds: the learned figures.
    expected_live, expected_drops: over all calls in flight after placing.
    allowance: drops still allowed by the tighter window (before the
        calls in flight).
    """
    calls: int
    mode: str
    progressive: int
    contact_rate: float = 0.0
    answer_seconds: float = 0.0
    talk_seconds: float = 0.0
    expected_live: float = 0.0
    expected_drops: float = 0.0
    allowance: float = 0.0


@dataclass(frozen=True)
class _Rates:
    contact: float  # live answers per dial
    answer: float  # mean seconds to a live answer
    talk: float  # mean talk seconds (0: not known yet)
    finish: float  # chance that a talking agent is free within `answer`


def progressive_calls(state):
    "One call in flight per ready agent not already covered."
    free = state.agents_ready - state.calls_waiting - state.calls_ringing
    return max(0, min(free, state.limit))


def allowance(limit, live, abandoned):
    "Drops still allowed in a window of ``live`` answers and ``abandoned``."
    return limit * live - abandoned


def expected_excess(mean, variance, capacity):
    """E[max(0, D - capacity)] for an integer count D (a difference of
    binomials) taken as normal with ``mean`` and ``variance``.  Summed over
    integers, E[max(0, D - c)] = sum over j >= c of P(D > j), which the
    normal integral from c matches (midpoint rule), so no half-unit shift:
    within 0.07 of the exact binomial figure (tests/test_pacing.py)."""
    threshold = capacity
    if variance <= 0:
        return max(0.0, mean - threshold)
    sigma = math.sqrt(variance)
    k = (threshold - mean) / sigma
    density = math.exp(-k * k / 2) / math.sqrt(2 * math.pi)
    tail = 0.5 * math.erfc(k / math.sqrt(2))
    return max(0.0, sigma * density + (mean - threshold) * tail)


class Pacer:
    "Decides how many calls to place; holds no state between decisions."

    def __init__(self, config=None):
        self.config = config or PacingConfig()

    def decide(self, state):
        "The :class:`Decision` for ``state``."
        progressive = progressive_calls(state)
        if state.agents_logged_in <= 0 or state.limit <= 0:
            return Decision(0, 'idle', 0)
        if not self._learned(state.recent):
            return Decision(progressive, 'learning', progressive)
        left = self._allowance(state)
        if left <= 0:
            return Decision(progressive, 'budget', progressive,
                allowance=left)
        return self._plan(state, progressive, left)

    def calls(self, state):
        "The number of new calls to place for ``state``."
        return self.decide(state).calls

    def _learned(self, recent):
        config = self.config
        return (recent.dials >= config.min_dials
            and recent.live >= config.min_live)

    def _allowance(self, state):
        limit = self.config.abandon_limit
        return min(
            allowance(limit, state.live_24h, state.abandoned_24h),
            allowance(limit, state.live_30d, state.abandoned_30d))

    def _plan(self, state, progressive, left):
        rates = self._rates(state.recent)
        ceiling = min(state.limit, self._line_room(state))
        ratio = self._planned_ratio(state)
        calls, (live, drops) = progressive, self._expected(
            state, progressive, rates)
        for n in range(progressive + 1, ceiling + 1):
            expected = self._expected(state, n, rates)
            if not self._acceptable(*expected, left, ratio):
                break
            calls, (live, drops) = n, expected
        return Decision(calls, 'predictive', progressive, rates.contact,
            rates.answer, rates.talk, live, drops, left)

    def _rates(self, recent):
        "What the recent calls teach."
        contact = min(1.0, recent.live / recent.dials)
        answer = recent.answer_seconds / recent.live
        talk = (recent.talk_seconds / recent.talks
            if recent.talks >= self.config.min_talks else 0.0)
        finish = 1 - math.exp(-answer / talk) if talk > 0 else 0.0
        return _Rates(contact, answer, talk, finish)

    def _line_room(self, state):
        lines = int(self.config.max_lines_per_agent * state.agents_logged_in)
        return max(0, lines - state.calls_ringing - state.calls_waiting
            - state.agents_talking)

    def _expected(self, state, new, rates):
        "Expected live answers and drops with ``new`` more calls."
        n = state.calls_ringing + new
        p, finish = rates.contact, rates.finish
        live_mean = n * p
        mean = live_mean - state.agents_talking * finish
        variance = (n * p * (1 - p)
            + state.agents_talking * finish * (1 - finish))
        capacity = state.agents_ready - state.calls_waiting
        return live_mean, expected_excess(mean, variance, capacity)

    def _planned_ratio(self, state):
        """The abandon ratio the calls in flight may run at: the target
        share of the limit over the window, plus whatever the campaign
        saved (or minus what it overspent) spread over as many live
        answers as the recent calls hold."""
        config = self.config
        target = config.target_ratio * config.abandon_limit
        horizon = state.recent.live
        ratios = [
            (self._spendable(target * (live + horizon)) - abandoned)
            / horizon
            for live, abandoned in [
                (state.live_24h, state.abandoned_24h),
                (state.live_30d, state.abandoned_30d)]]
        return max(0.0, min(min(ratios), config.max_ratio_share * target))

    def _spendable(self, allowed):
        """Of ``allowed`` drops, those that may be planned: a margin of
        ``z`` standard deviations is kept for the chance that more of the
        planned calls are dropped than expected (drops counted as
        Poisson)."""
        return allowed - self.config.z * math.sqrt(max(0.0, allowed))

    def _acceptable(self, live, drops, left, ratio):
        limit = self.config.abandon_limit
        return drops <= ratio * live and drops <= left + limit * live
