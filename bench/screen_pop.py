"""Screen pop latency (issue 3, CTI-03): from the ring to the form.

    .venv/bin/python bench/screen_pop.py [--scale 1000000] [--calls 50]

Builds (once; kept in var/bench between runs) the demo database
``pop_bench`` with N extra customers loaded by COPY as in
``caller_lookup.py``, serves it with trytond, runs the PBX simulator and the
bridge in this process and logs agent1 into the web client in Chromium.
Then, call after call from a random one of those customers: time from the
simulator sending ``AgentCalled`` for agent1's phone (the ring) to the
customer's form shown in agent1's browser with the customer's name in it.
Both clocks are this host's wall clock. Last line: JSON with bench,
customers, calls, p50_ms, p95_ms.
"""
import argparse
import asyncio
import dataclasses
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))
sys.path.insert(0, str(ROOT / 'bench'))
sys.path.insert(0, str(ROOT / 'tests'))

from callcenter import database, provision, runner  # noqa: E402
from callcenter.benchmark import bench_server, percentile  # noqa: E402
from callcenter.pbxsim import SimConfig, Simulator  # noqa: E402
from callcenter.services import Supervisor, wait_for_http  # noqa: E402
import caller_lookup  # noqa: E402
import webclient  # noqa: E402

DB_NAME = 'pop_bench'
#: The bridge's events that pop (the agent's leg ringing, AgentCalled).
RING_KINDS = {'ringing', 'agent_called'}
CHROMIUM = '/usr/bin/chromium'
FORM_SHOWN = """([party, name]) => {
    // The pop may open more tabs after the customer's (call panel, ticket).
    const tab = Sao.Tab.tabs.find(tab => tab.screen
        && tab.screen.model_name === 'party.party'
        && tab.screen.current_record
        && tab.screen.current_record.id === party);
    const shown = tab && [...tab.el[0].querySelectorAll('input')].some(
        input => input.value === name);
    return shown ? Date.now() : null;
}"""
CLOSE_TABS = """() => {
    // What an agent would discard: a popped ticket never saved, or a
    // record changed in the page; closed within 15 s or reported stuck.
    const discarded = [];
    const closed = Promise.all(Sao.Tab.tabs.slice().map(tab => {
        const screen = tab.screen;
        const record = screen && screen.current_record;
        if (record && screen.current_view) {
            screen.current_view.set_value();
            if (record.id < 0 || screen.modified()) {
                if (record.id >= 0) {
                    discarded.push(screen.model_name);
                }
                // the agent's "No" to "do you want to save it?"
                tab._close_allowed = () => jQuery.when();
            }
        }
        return tab.close();
    })).then(() => discarded);
    const stuck = new Promise(resolve => setTimeout(
        () => resolve(['stuck']), 15000));
    return Promise.race([closed, stuck]);
}"""


class TimedSimulator(Simulator):
    "The simulator, noting when it sends each call's ring to an agent."

    def __init__(self, config: SimConfig) -> None:
        self.rang: dict[str, float] = {}
        super().__init__(config)

    def emit(self, name, privilege, headers, at=None):
        if name == 'AgentCalled':
            linkedid = dict(headers).get('Linkedid')
            self.rang.setdefault(linkedid, time.time())
        super().emit(name, privilege, headers, at)


class Steps:
    """When each step of a pop happened, per call (host wall clock, s).

    The bridge notes when it receives the ring and when the transaction
    holding it commits; the page notes the JSON-RPC posts sao makes from
    the pop until the form shows (Playwright's request timing).
    """

    def __init__(self):
        self.ringing: dict[str, float] = {}
        self.committed: dict[str, float] = {}
        self.rpcs: list[tuple[str, float, float]] = []

    def watch(self, page):
        page.on('requestfinished', self._finished)

    def _finished(self, request):
        if request.method != 'POST' or not request.post_data:
            return
        if request.url.endswith('/bus'):
            method = 'bus long poll'
        else:
            try:
                method = json.loads(request.post_data).get('method', '?')
            except ValueError:
                return
        timing = request.timing
        start = timing['startTime'] / 1000
        self.rpcs.append((method.removeprefix('model.'),
            start, start + max(timing['responseEnd'], 0) / 1000))


def timed_bridge(steps):
    "The bridge, noting when the ring arrives and when it is committed."
    from trytond.modules.callcenter_cti.bridge import mapping
    from trytond.modules.callcenter_cti.bridge.bridge import Bridge

    class TimedBridge(Bridge):
        def _on_event(self, link, message):
            for event in mapping.to_events(message):
                if event['kind'] in RING_KINDS and event.get('linkedid'):
                    steps.ringing.setdefault(event['linkedid'], time.time())
            super()._on_event(link, message)

        async def _commit(self, link, items):
            await super()._commit(link, items)
            now = time.time()
            for kind, payload in items:
                for event in payload if kind == 'events' else []:
                    if event['kind'] in RING_KINDS:
                        steps.committed.setdefault(event['linkedid'], now)
    return TimedBridge


class Telephony:
    "Simulator and bridge on an event loop of their own (a thread)."

    def __init__(self, config: Path, db_name: str, server_uri: str,
            steps: Steps):
        self.config, self.db_name = config, db_name
        self.steps = steps
        self.server_uri = server_uri
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever)

    def __enter__(self):
        self.thread.start()
        self.run(self._start())
        return self

    def __exit__(self, *exc):
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def run(self, coroutine, timeout=120):
        return asyncio.run_coroutine_threadsafe(
            coroutine, self.loop).result(timeout)

    async def _start(self):
        from trytond.modules.callcenter_cti.bridge.bridge import (
            BridgeConfig)
        Bridge = timed_bridge(self.steps)
        self.sim = TimedSimulator(SimConfig(port=0, tempo=1.0))
        await self.sim.__aenter__()
        with database.connect(self.server_uri, self.db_name,
                autocommit=True) as conn:
            self.server_id, = conn.execute("SELECT id FROM "
                "callcenter_pbx_server ORDER BY id LIMIT 1").fetchone()
            conn.execute("UPDATE callcenter_pbx_server SET host = "
                "'127.0.0.1', port = %s, secret = 'cti-secret', active = "
                "true WHERE id = %s", (self.sim.port, self.server_id))
            self.bridge = asyncio.create_task(
                Bridge(self.config, self.db_name, BridgeConfig()).run())
            async with asyncio.timeout(60):
                while not conn.execute("SELECT link_state = 'connected' "
                        "FROM callcenter_pbx_server WHERE id = %s",
                        (self.server_id,)).fetchone()[0]:
                    await asyncio.sleep(0.05)

    async def _stop(self):
        self.bridge.cancel()
        await asyncio.gather(self.bridge, return_exceptions=True)
        await self.sim.__aexit__(None, None, None)

    async def _ring(self, number):
        return await self.sim.scenario('inbound', caller=number,
            agent='agent1', queue='support', talk=None, record=False)

    def ring(self, number):
        "Ring agent1 from ``number`` and keep the call up; its Linkedid."
        return self.run(self._ring(number))

    def hang_up(self, call):
        async def hang_up():
            self.sim.hangup(call, 'caller')
            await call.finished.wait()
        self.run(hang_up())


def prepare(settings, server_uri, scale):
    "The demo database with ``scale`` bench customers; their first id."
    config = provision.prepare(settings, server_uri)
    first, count = bench_customers(server_uri)
    if count and count != scale:
        # Deleting a million customers, with the foreign keys checked row
        # by row, takes far longer than building the database again.
        database.drop(server_uri, DB_NAME)
        config = provision.prepare(settings, server_uri)
        count = 0
    if count != scale:
        with database.connect(server_uri, DB_NAME) as conn:
            first = caller_lookup.load(conn, scale)
    return config, first


def bench_customers(server_uri):
    "The first id and the number of the bench's customers."
    with database.connect(server_uri, DB_NAME) as conn:
        return conn.execute("SELECT MIN(id), COUNT(*) FROM "
            "party_party WHERE code LIKE 'B%%'").fetchone()


def log_in(page, url, db_name):
    "agent1 logs in, the tests' way, and listens on their channel."
    webclient.log_in(page, url, db_name, 'agent1', 'agent1-demo')
    page.wait_for_function('window.CallCenter && window.CallCenter.channel')


def measure(page, telephony, first, scale, calls):
    rng = random.Random(caller_lookup.SEED)
    steps = telephony.steps
    latencies, timings = [], []
    for _ in range(calls + 1):    # the first call warms up
        i = rng.randrange(scale)
        digits, _ = caller_lookup.mobile(i)
        steps.rpcs.clear()
        call = telephony.ring('+86' + digits)
        shown = page.wait_for_function(FORM_SHOWN,
            arg=[first + i, f'Customer {i}'], polling='raf', timeout=30000)
        shown = shown.json_value() / 1000
        rang = telephony.sim.rang[call.linkedid]
        pop = page.evaluate('CallCenter.lastPop')
        latencies.append(shown - rang)
        timings.append(call_steps(steps, call.linkedid, rang, pop, shown))
        telephony.hang_up(call)
        # as an agent would: close the tabs once the pop has opened them all
        page.wait_for_function('CallCenter.lastPop.opened !== false',
            timeout=30000)
        discarded = page.evaluate(CLOSE_TABS)
        if discarded:
            print(f"call {len(latencies)}: closing the tabs discarded"
                f" changes: {discarded}", flush=True)
        if 'stuck' in discarded:
            page.screenshot(path=str(ROOT / 'artifacts' / 'screen_pop.png'))
            raise RuntimeError("the tabs did not close: " + page.evaluate(
                "() => document.querySelector('.modal.in') ? document"
                ".querySelector('.modal.in').innerText : Sao.Tab.tabs.map("
                "t => t.name_long).join(', ')"))
    print_steps(timings[1:])
    return [s * 1000 for s in latencies[1:]]


def call_steps(steps, linkedid, rang, pop, shown):
    "The call's steps in ms from the ring, in order, by name."
    timing = {
        'bridge received the ring': steps.ringing.get(linkedid),
        'bridge committed': steps.committed.get(linkedid),
        'pop published (sent_at)': pop['sent_at'],
        'page received the pop': pop['at'] / 1000,
        }
    seen = {}
    for method, start, end in sorted(steps.rpcs, key=lambda r: r[1]):
        if start < pop['at'] / 1000 or start > shown:
            continue
        seen[method] = seen.get(method, 0) + 1
        name = method + (f' #{seen[method]}' if seen[method] > 1 else '')
        timing[f'  rpc {name} sent'] = start
        timing[f'  rpc {name} answered'] = end
    timing['form shown with the name'] = shown
    return {name: (at - rang) * 1000 for name, at in timing.items()
        if at is not None}


def print_steps(timings):
    "The median of each step over the calls (those where it happened)."
    names = []
    for timing in timings:
        names += [n for n in timing if n not in names]
    order = {n: statistics.median(t[n] for t in timings if n in t)
        for n in names}
    print("median ms from the ring (steps seen in n calls):", flush=True)
    for name in sorted(names, key=order.get):
        count = sum(name in t for t in timings)
        print(f"  {order[name]:7.0f}  {name} ({count})", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=int, default=1_000_000)
    parser.add_argument('--calls', type=int, default=50)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright
    with bench_server(DB_NAME) as (settings, server_uri):
        settings = dataclasses.replace(settings, db_name=DB_NAME,
            listen=f'localhost:{free_port()}')
        started = time.perf_counter()
        config, first = prepare(settings, server_uri, args.scale)
        print(f"database with {args.scale} customers ready in "
            f"{time.perf_counter() - started:.0f} s", flush=True)
        supervisor = Supervisor()
        try:
            for service in runner.services(settings, config):
                if service.name == 'web':
                    supervisor.start(service)
            wait_for_http(settings.url, supervisor=supervisor)
            steps = Steps()
            with Telephony(config, DB_NAME, server_uri, steps) as telephony, \
                    sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True,
                    args=['--no-sandbox'])
                page = chromium.new_page(
                    viewport={'width': 1366, 'height': 800})
                log_in(page, settings.url, DB_NAME)
                steps.watch(page)
                latencies = measure(
                    page, telephony, first, args.scale, args.calls)
                chromium.close()
        finally:
            supervisor.stop()
    return report(args, latencies)


def report(args, latencies):
    result = {
        'bench': 'screen_pop',
        'customers': args.scale,
        'calls': len(latencies),
        'p50_ms': round(statistics.median(latencies), 1),
        'p95_ms': round(percentile(latencies, 95), 1),
        'max_ms': round(max(latencies), 1),
        }
    print(f"ring → customer form in Chromium over {result['calls']} calls "
        f"at {args.scale} customers: p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, max {result['max_ms']} ms")
    print(json.dumps(result))
    return 0


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


if __name__ == '__main__':
    sys.exit(main())
