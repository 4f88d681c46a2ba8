"""Where the time of ``bridge_throughput`` goes (issue 3).

Runs the same benchmark with the bridge's transactions profiled (cProfile
in the worker thread) and the event loop profiled (main thread: simulator,
AMI client, parser, mapping), and prints the transactions per second, the
events per transaction and the time each batch spent waiting and running.
``--sim-only`` plays the same calls to a client that only reads the socket,
the simulator's own ceiling.

    .venv/bin/python bench/profile_bridge.py [--scale N] [--sim-only]
"""
import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))
sys.path.insert(0, str(ROOT / 'bench'))

from callcenter import provision  # noqa
from callcenter.benchmark import bench_server  # noqa
from callcenter.pbxsim import SimConfig, Simulator  # noqa

import bridge_throughput  # noqa


def _stats(profile, limit=35):
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats('cumulative').print_stats(limit)
    stats.sort_stats('tottime').print_stats(limit)
    return out.getvalue()


def run_bridge(scale, light=False):
    import threading

    import psycopg
    from trytond.modules.callcenter_cti.bridge import bridge as module
    worker = cProfile.Profile()
    batches, queries = [], [0]
    original, execute = module.Tryton.call, psycopg.Cursor.execute

    by_query = {}

    def counted(self, query, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            return execute(self, query, *args, **kwargs)
        queries[0] += 1
        started = time.perf_counter()
        try:
            return execute(self, query, *args, **kwargs)
        finally:
            key = str(query)[:110]
            total, count = by_query.get(key, (0.0, 0))
            by_query[key] = (total + time.perf_counter() - started, count + 1)
    psycopg.Cursor.execute = counted

    def call(self, function, *args):
        events = sum(len(p) for k, p in (args[1] if len(args) > 1 else [])
            if k == 'events') if function is module._apply else 0
        started, cpu, count = time.perf_counter(), time.thread_time(), (
            queries[0])
        if not light:
            worker.enable()
        try:
            return original(self, function, *args)
        finally:
            worker.disable()
            batches.append((started, time.perf_counter() - started, events,
                    time.thread_time() - cpu, queries[0] - count))
    module.Tryton.call = call
    loop_profile = cProfile.Profile()
    with bench_server('bench_bridge') as (settings, server_uri):
        config = provision.prepare(settings, server_uri, track_sources=False)
        if not light:
            loop_profile.enable()
        loop_cpu = time.process_time()
        result = asyncio.run(asyncio.wait_for(bridge_throughput.bench(
                config, settings.db_name, server_uri, scale), 240))
        loop_profile.disable()
        process_cpu = time.process_time() - loop_cpu
    print(result)
    calls = result['calls']
    worker_cpu = sum(b[3] for b in batches if b[2])
    print(f"CPU: process {process_cpu:.1f} s, of which transactions "
        f"{worker_cpu:.1f} s = {1000 * worker_cpu / calls:.1f} ms per call; "
        f"SQL queries per call {sum(b[4] for b in batches if b[2]) / calls:.1f}")
    applied = [b for b in batches if b[2]]
    span = applied[-1][0] + applied[-1][1] - applied[0][0]
    busy = sum(b[1] for b in applied)
    print(f"transactions with events: {len(applied)} in {span:.1f} s "
        f"({len(applied) / span:.1f}/s), {busy:.1f} s inside them "
        f"({100 * busy / span:.0f}% of the span)")
    sizes = sorted(b[2] for b in applied)
    print(f"events per transaction: mean {sum(sizes) / len(sizes):.1f}, "
        f"median {sizes[len(sizes) // 2]}, max {sizes[-1]}")
    times = sorted(b[1] * 1000 for b in applied)
    print(f"transaction ms: median {times[len(times) // 2]:.1f}, "
        f"p90 {times[int(len(times) * .9)]:.1f}, max {times[-1]:.1f}")
    gaps = sorted((b[0] - (a[0] + a[1])) * 1000
        for a, b in zip(applied, applied[1:]))
    print(f"gap between transactions ms: median {gaps[len(gaps) // 2]:.1f},"
        f" p90 {gaps[int(len(gaps) * .9)]:.1f}")
    print("slowest SQL (total s, count, query):")
    for key, (total, count) in sorted(by_query.items(),
            key=lambda i: -i[1][0])[:15]:
        print(f"  {total:6.2f} {count:6d}  {key}")
    if light:
        return
    print("=== worker thread (transactions) ===")
    print(_stats(worker))
    print("=== main thread (event loop: simulator, client, mapping) ===")
    print(_stats(loop_profile))


async def sim_only(scale):
    with tempfile.TemporaryDirectory() as tmp:
        async with Simulator(SimConfig(port=0, tempo=0,
                recordings=Path(tmp))) as sim:
            reader, writer = await asyncio.open_connection(
                '127.0.0.1', sim.port)
            writer.write(b'Action: Login\r\nUsername: cti\r\n'
                b'Secret: cti-secret\r\n\r\n')
            received = 0

            async def drain():
                nonlocal received
                while data := await reader.read(65536):
                    received += len(data)
            task = asyncio.create_task(drain())
            await asyncio.sleep(0.2)
            emitted, started, calls = sim.events_emitted, time.perf_counter(), 0
            agents = ['agent1', 'agent2', 'agent3']
            while sim.events_emitted - emitted < scale:
                batch = [await sim.scenario('inbound',
                        caller=f'+86138{calls + i:08d}', agent=agents[i % 3],
                        queue='support', record=False) for i in range(20)]
                for call in batch:
                    await call.finished.wait()
                calls += 20
            elapsed = time.perf_counter() - started
            task.cancel()
            writer.close()
            count = sim.events_emitted - emitted
            print(f"simulator alone: {calls} calls, {count} AMI events in "
                f"{elapsed:.2f} s = {count / elapsed:.0f}/s "
                f"({received} bytes read)")


def main():
    import logging
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument('--scale', type=int, default=20000)
    parser.add_argument('--sim-only', action='store_true')
    parser.add_argument('--light', action='store_true',
        help="no cProfile: only the counts and CPU times")
    args = parser.parse_args()
    if args.sim_only:
        profile = cProfile.Profile()
        profile.enable()
        asyncio.run(sim_only(args.scale))
        profile.disable()
        print(_stats(profile, 20))
    else:
        run_bridge(args.scale, args.light)


if __name__ == '__main__':
    main()
