"""Simulation of three dialer pacings on the same call stream (issue 12).

    .venv/bin/python bench/dialer_pacing.py [--agents N] [--seed S] [--hours H]

A discrete-event simulation of an 8-hour shift with a team of agents all
logged in, no wrap-up, and the 2-second connect rule: a live answer that
finds no agent within 2 s is abandoned.  Each dial is live 30 % (answers
after 5-20 s), an answering machine 15 % (answers after 5-20 s and is hung
up), busy or invalid 10 % (fails after 1-3 s), no answer 45 % (gives up
after 25 s); talk time is exponential with a mean of 180 s.  The k-th dial
of every pacing gets the same outcome, delays and talk time.

Pacings:
- progressive: one call in flight per ready agent;
- adapt: a re-implementation of VICIdial's ADAPT_HARD_LIMIT
  (``bin/AST_VDadapt.pl``, ``bin/AST_VDauto_dial.pl``): lines = round(level
  x agents) - calls up; every 15 s the level is multiplied by 1 + (average
  ready agents - average waiting calls) / agents, kept in [1.0, 3.0]; the
  drop rate since the start of the day is recomputed every minute and,
  past the limit, the level is set back to 1.0; over 50 % drops in the last
  minute (more than 20 calls) halves it;
- ours: ``callcenter_campaign.pacing.Pacer``, unchanged.

Prints each pacing's occupancy (talk time / logged-in time) and abandon
rate (drops / live answers) for 5, 20 and 50 agents (or only ``--agents``),
then one JSON line for 20 agents (or N).
"""
import argparse
import heapq
import importlib.util
import json
import random
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_pacing():
    path = ROOT / 'addons' / 'callcenter_campaign' / 'pacing.py'
    spec = importlib.util.spec_from_file_location('cc_pacing', path)
    module = importlib.util.module_from_spec(spec)
    sys.modules['cc_pacing'] = module
    spec.loader.exec_module(module)
    return module


pacing = _load_pacing()

LIMIT = 0.03
CONNECT_RULE = 2.0
RECENT_DIALS = 500
RECENT_TALKS = 200


class CallStream:
    "The k-th dial's outcome, delay and talk time, the same for all."

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.calls = []

    def __getitem__(self, k):
        while len(self.calls) <= k:
            self.calls.append(self._draw())
        return self.calls[k]

    def _draw(self):
        rng = self.rng
        u = rng.random()
        talk = rng.expovariate(1 / 180)
        if u < 0.30:
            return 'live', rng.uniform(5, 20), talk
        if u < 0.45:
            return 'machine', rng.uniform(5, 20), 0.0
        if u < 0.55:
            return 'busy', rng.uniform(1, 3), 0.0
        return 'noanswer', 25.0, 0.0


class Simulation:
    "One shift of ``agents`` agents under one pacing policy."

    def __init__(self, agents, stream, policy, hours=8.0):
        self.agents, self.stream, self.policy = agents, stream, policy
        self.end = hours * 3600
        self.now = 0.0
        self.events = []
        self.seq = 0
        self.dialled = 0
        self.ready = agents
        self.talking = 0
        self.ringing = 0
        self.waiting = deque()  # (call id, deadline)
        self.talk_time = 0.0
        self.talk_starts = 0.0  # sum of the start times of ongoing talks
        self.live = self.abandoned = 0
        self.recent = deque(maxlen=RECENT_DIALS)  # (live, ring seconds)
        self.talks = deque(maxlen=RECENT_TALKS)
        self.minute = deque()  # (time, dropped) of live answers

    def at(self, time, kind, *args):
        self.seq += 1
        heapq.heappush(self.events, (time, self.seq, kind, args))

    def run(self):
        for second in range(int(self.end)):
            self.at(float(second), 'tick')
        while self.events:
            time, _, kind, args = heapq.heappop(self.events)
            if time >= self.end and kind != 'hangup':
                continue
            self.now = time
            getattr(self, '_' + kind)(*args)
            if kind != 'hangup' or time < self.end:
                self._dial()
        logged = self.agents * self.end
        return {
            'occupancy': self.talk_time / logged,
            'abandon_pct': 100 * self.abandoned / max(1, self.live),
            'live': self.live,
            'dials': self.dialled,
            }

    def _dial(self):
        if self.now >= self.end:
            return
        for _ in range(max(0, self.policy(self))):
            outcome, delay, talk = self.stream[self.dialled]
            self.dialled += 1
            self.ringing += 1
            self.at(self.now + delay, 'answer', outcome, delay, talk)

    def _tick(self):
        if hasattr(self.policy, 'tick'):
            self.policy.tick(self)

    def _answer(self, outcome, delay, talk):
        self.ringing -= 1
        self.recent.append((outcome == 'live', delay))
        if outcome != 'live':
            return
        self.live += 1
        if self.ready:
            self._connect(talk)
        else:
            self.seq += 1
            call = self.seq
            self.waiting.append((call, talk))
            self.at(self.now + CONNECT_RULE, 'drop', call)

    def _connect(self, talk):
        self.ready -= 1
        self.talking += 1
        self.talk_starts += self.now
        self.at(self.now + talk, 'hangup', talk)
        self.minute.append((self.now, False))

    def _drop(self, call):
        for item in self.waiting:
            if item[0] == call:
                self.waiting.remove(item)
                self.abandoned += 1
                self.minute.append((self.now, True))
                return

    def _hangup(self, talk):
        start = self.now - talk
        self.talk_time += max(0.0, min(self.now, self.end) - start)
        self.talks.append(talk)
        self.talking -= 1
        self.talk_starts -= start
        self.ready += 1
        if self.waiting:
            _, talk = self.waiting.popleft()
            self._connect(talk)


def progressive(sim):
    return sim.ready - len(sim.waiting) - sim.ringing


class Adapt:
    "VICIdial's ADAPT_HARD_LIMIT, re-implemented from its description."

    def __init__(self, limit=LIMIT, max_level=3.0, intensity=1.0):
        self.level = 1.0
        self.limit, self.max_level = limit, max_level
        self.intensity = intensity
        self.samples = []

    def tick(self, sim):
        self.samples.append((sim.ready, len(sim.waiting)))
        second = int(sim.now)
        if second % 60 == 0:
            self._check_drops(sim)
        if second % 15 == 0 and self.samples:
            ready = sum(s[0] for s in self.samples) / len(self.samples)
            waiting = sum(s[1] for s in self.samples) / len(self.samples)
            self.samples = []
            differential = ready - waiting
            self.level *= 1 + differential / sim.agents * self.intensity
            self.level = min(self.max_level, max(1.0, self.level))
            self._check_drops(sim)

    def _check_drops(self, sim):
        while sim.minute and sim.minute[0][0] < sim.now - 60:
            sim.minute.popleft()
        dropped = sum(1 for _, d in sim.minute if d)
        if len(sim.minute) > 20 and dropped > len(sim.minute) / 2:
            self.level = max(1.0, self.level / 2)
        if sim.live and sim.abandoned / sim.live > self.limit:
            self.level = 1.0

    def __call__(self, sim):
        up = sim.talking + sim.ringing + len(sim.waiting)
        return round(self.level * sim.agents) - up


class Ours:
    "The module's Pacer, fed what the live dialer would feed it."

    def __init__(self, limit=LIMIT):
        self.pacer = pacing.Pacer(pacing.PacingConfig(abandon_limit=limit))

    def __call__(self, sim):
        return self.pacer.calls(self.state(sim))

    @staticmethod
    def state(sim):
        "What the live dialer would know of ``sim`` now."
        live = [r for r in sim.recent if r[0]]
        recent = pacing.RecentCalls(
            dials=len(sim.recent), live=len(live),
            talks=len(sim.talks), talk_seconds=sum(sim.talks)
            + sim.talking * sim.now - sim.talk_starts,
            answer_seconds=sum(r[1] for r in live))
        return pacing.PacingState(
            agents_logged_in=sim.agents, agents_ready=sim.ready,
            agents_talking=sim.talking, calls_ringing=sim.ringing,
            calls_waiting=len(sim.waiting), recent=recent,
            live_24h=sim.live, abandoned_24h=sim.abandoned,
            live_30d=sim.live, abandoned_30d=sim.abandoned)


def run_team(agents, seed, hours):
    results = {}
    for name, policy in [
            ('progressive', progressive), ('adapt', Adapt()),
            ('ours', Ours())]:
        stream = CallStream(seed + agents)
        results[name] = Simulation(agents, stream, policy, hours).run()
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--agents', type=int)
    parser.add_argument('--seed', type=int, default=20261205)
    parser.add_argument('--hours', type=float, default=8.0)
    args = parser.parse_args(argv)
    teams = [args.agents] if args.agents else [5, 20, 50]
    summary = {}
    for agents in teams:
        results = run_team(agents, args.seed, args.hours)
        summary[agents] = results
        for name, r in results.items():
            print(f"{agents:3d} agents  {name:<12s} occupancy "
                f"{r['occupancy']:.3f}  abandon {r['abandon_pct']:.2f} %  "
                f"({r['live']} live of {r['dials']} dials)", flush=True)
    key = args.agents or 20
    r = summary[key]
    print(json.dumps({
                'bench': 'dialer_pacing',
                'agents': key,
                'occupancy': round(r['ours']['occupancy'], 4),
                'abandon_pct': round(r['ours']['abandon_pct'], 3),
                'progressive_occupancy': round(
                    r['progressive']['occupancy'], 4),
                'adapt_occupancy': round(r['adapt']['occupancy'], 4),
                'adapt_abandon_pct': round(r['adapt']['abandon_pct'], 3),
                }))


if __name__ == '__main__':
    main()
