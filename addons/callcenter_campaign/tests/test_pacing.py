"""The predictive pacer: properties over any campaign state (hypothesis)."""
import math

from hypothesis import assume, example, given, settings, strategies as st

from trytond.modules.callcenter_campaign.pacing import (
    Pacer, PacingConfig, PacingState, RecentCalls, expected_drops)

LIMIT = 0.03


@st.composite
def recent_calls(draw, learned=True):
    "Totals of recent dials, enough to learn from when ``learned``."
    low = 50 if learned else 0
    dials = draw(st.integers(low, 2000))
    live = draw(st.integers(10 if learned else 0, max(10, dials)))
    live = min(live, dials)
    talks = draw(st.integers(0, live))
    return RecentCalls(
        dials=dials, live=live, talks=talks,
        talk_seconds=talks * draw(st.floats(5, 900)),
        answer_seconds=live * draw(st.floats(1, 30)))


@st.composite
def windows(draw, drop_rate=(0, 0.1)):
    "Live answers and drops over 24 h and 30 days at rates in the range."
    live_30d = draw(st.integers(0, 100_000))
    live_24h = draw(st.integers(0, min(live_30d, 10_000)))
    low, high = drop_rate

    def drops(live):
        least = math.ceil(low * live)
        return draw(st.integers(least, max(least, int(high * live))))
    abandoned_24h = drops(live_24h)
    abandoned_30d = abandoned_24h + drops(live_30d - live_24h)
    return live_24h, abandoned_24h, live_30d, abandoned_30d


@st.composite
def states(draw, recent=None, agents=None, drop_rate=(0, 0.1)):
    "Any campaign state: agents, calls in flight and the two windows."
    logged_in = draw(st.integers(0, 60) if agents is None else agents)
    ready = draw(st.integers(0, logged_in))
    talking = draw(st.integers(0, logged_in - ready))
    live_24h, abandoned_24h, live_30d, abandoned_30d = draw(
        windows(drop_rate))
    return PacingState(
        agents_logged_in=logged_in, agents_ready=ready,
        agents_talking=talking,
        calls_ringing=draw(st.integers(0, 3 * logged_in + 5)),
        calls_waiting=draw(st.integers(0, 5)),
        recent=draw(recent if recent is not None else recent_calls()),
        live_24h=live_24h, abandoned_24h=abandoned_24h,
        live_30d=live_30d, abandoned_30d=abandoned_30d,
        limit=draw(st.integers(0, 300)))


def used_up(state):
    "Whether a window has no abandon left to spend."
    return (state.abandoned_24h >= LIMIT * state.live_24h
        or state.abandoned_30d >= LIMIT * state.live_30d)


def covered(state):
    "The calls a progressive dialer may have in flight: one a ready agent."
    return max(0, min(state.limit, state.agents_ready
            - state.calls_waiting - state.calls_ringing))


def exact_excess(n, p, talking, q, capacity):
    "E[max(0, X - Y - capacity)], X ~ B(n, p), Y ~ B(talking, q), exactly."
    def pmf(count, chance):
        return [math.comb(count, k) * chance ** k * (1 - chance) ** (count - k)
            for k in range(count + 1)]
    return sum(px * py * max(0, x - y - capacity)
        for x, px in enumerate(pmf(n, p))
        for y, py in enumerate(pmf(talking, q)))


@settings(max_examples=400, deadline=None)
@given(states())
def test_calls_between_zero_and_limit(state):
    "The pacer never asks for a negative count nor more than the limit."
    calls = Pacer().calls(state)
    assert 0 <= calls <= max(0, state.limit)


@settings(max_examples=300, deadline=None)
@given(states(agents=st.just(0)))
def test_no_agent_no_call(state):
    "With no agent logged in the campaign places no call at all."
    decision = Pacer().decide(state)
    assert decision.calls == 0
    assert decision.mode == 'idle'


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_progressive_until_enough_calls_seen(data):
    "Until enough dials and live answers are seen the pacer is progressive."
    recent = data.draw(recent_calls(learned=False).filter(
            lambda r: r.dials < 50 or r.live < 10))
    state = data.draw(states(recent=st.just(recent)))
    assume(state.agents_logged_in > 0 and state.limit > 0)
    decision = Pacer().decide(state)
    assert decision.mode == 'learning'
    assert decision.calls == covered(state)


@settings(max_examples=400, deadline=None)
@given(states(drop_rate=(LIMIT, 0.2)))
def test_used_up_allowance_means_no_call_beyond_agents(state):
    "With a window's abandons used up, every call in flight has an agent."
    assert used_up(state)
    calls = Pacer().calls(state)
    assert calls == covered(state)
    if calls:
        assert state.calls_ringing + state.calls_waiting + calls <= (
            state.agents_ready)


@settings(max_examples=400, deadline=None)
@given(states(agents=st.integers(1, 60), drop_rate=(0, 0.025)))
def test_expected_drops_within_remaining_allowance(state):
    "The drops expected from the calls in flight fit the remaining budget."
    decision = Pacer().decide(state)
    assume(decision.mode == 'predictive'
        and decision.calls > decision.progressive)
    for live, abandoned in [
            (state.live_24h, state.abandoned_24h),
            (state.live_30d, state.abandoned_30d)]:
        budget = LIMIT * (live + decision.expected_live) - abandoned
        assert decision.expected_drops <= budget + 1e-9
    assert decision.expected_drops <= LIMIT * decision.expected_live * 2


@settings(max_examples=200, deadline=None)
@given(states())
def test_stricter_limit_never_more_calls(state):
    "A lower abandon limit never makes the pacer place more calls."
    loose = Pacer(PacingConfig(abandon_limit=0.05)).calls(state)
    strict = Pacer(PacingConfig(abandon_limit=0.01)).calls(state)
    assert strict <= loose


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 150), st.floats(0.05, 0.6), st.integers(0, 60),
    st.floats(0, 0.3), st.integers(-3, 20))
@example(16, 0.0625, 23, 0, 0)  # rare answers, nobody freed: skewed
def test_expected_drops_close_to_exact_binomial(n, p, talking, q, capacity):
    "The pacer's expected drops are within 0.07 of the exact binomial."
    estimate = expected_drops(n, p, talking, q, capacity)
    assert abs(estimate - exact_excess(n, p, talking, q, capacity)) < 0.07


def test_predictive_places_more_than_progressive():
    "A learned campaign with allowance left dials ahead of its agents."
    state = PacingState(
        agents_logged_in=20, agents_ready=2, agents_talking=18,
        calls_ringing=2,
        recent=RecentCalls(dials=500, live=150, talks=140,
            talk_seconds=140 * 180, answer_seconds=150 * 12.5),
        live_24h=1000, abandoned_24h=10, live_30d=20000, abandoned_30d=300,
        limit=100)
    decision = Pacer().decide(state)
    assert decision.mode == 'predictive'
    assert decision.progressive == 0
    assert decision.calls >= 3
    assert abs(decision.contact_rate - 0.3) < 1e-9
    assert abs(decision.talk_seconds - 180) < 1e-9


@settings(max_examples=200, deadline=None)
@given(states(agents=st.integers(1, 60), drop_rate=(0, 0.025)))
def test_eager_config_stays_safe(state):
    "Learning from the very first call still keeps every bound."
    config = PacingConfig(min_dials=0, min_live=0, min_talks=0)
    calls = Pacer(config).calls(state)
    assert 0 <= calls <= max(0, state.limit)
