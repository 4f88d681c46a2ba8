"""End-to-end throughput of the CTI bridge.

The PBX simulator at full speed (tempo 0) plays inbound queue calls; the
bridge reads and parses every AMI event, maps those the call log needs and
commits them through ``callcenter.call.register_events`` (which publishes
the agent states and screen pops on the bus). Events per second = AMI
events the simulator sent / time from the first call to the last call
ended in the log; the call-log events they mapped to are printed too.

    .venv/bin/python bench/bridge_throughput.py [--scale 20000]

Uses its own embedded PostgreSQL (var/bench/pgdata) unless
CALLCENTER_DB_URI is set. Last line: JSON with bench, events, events_per_s.
"""
import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, provision  # noqa
from callcenter.benchmark import bench_server  # noqa
from callcenter.pbxsim import SimConfig, Simulator  # noqa


async def bench(config, db_name, server_uri, scale, journal=True):
    from trytond.modules.callcenter_cti.bridge.bridge import (
        Bridge, BridgeConfig)
    with tempfile.TemporaryDirectory() as tmp, database.connect(
            server_uri, db_name, autocommit=True) as conn:
        async with Simulator(SimConfig(port=0, tempo=0,
                recordings=Path(tmp))) as sim:
            server_id, = conn.execute(
                "SELECT id FROM callcenter_pbx_server ORDER BY id"
                " LIMIT 1").fetchone()
            conn.execute("UPDATE callcenter_pbx_server SET port = %s, "
                "secret = 'cti-secret', active = true WHERE id = %s",
                (sim.port, server_id))
            conn.execute("DELETE FROM callcenter_call WHERE server = %s",
                (server_id,))
            bridge = Bridge(config, db_name, BridgeConfig(
                journal_dir=None if journal else ''))
            task = asyncio.create_task(bridge.run())
            while not (bridge.links and bridge.links[server_id].client
                    and bridge.links[server_id].client.connected):
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)   # resync done
            base = bridge.committed
            emitted = sim.events_emitted
            started = time.perf_counter()
            calls, agents = [], ['agent1', 'agent2', 'agent3']
            while sim.events_emitted - emitted < scale:
                batch = [await sim.scenario('inbound',
                        caller=f'+86138{len(calls) + i:08d}',
                        agent=agents[(len(calls) + i) % 3], queue='support',
                        record=False) for i in range(20)]
                for call in batch:
                    await call.finished.wait()
                calls.extend(batch)
            last = calls[-1].linkedid
            while not conn.execute("SELECT 1 FROM callcenter_call WHERE "
                    "server = %s AND linkedid = %s AND state = 'ended'",
                    (server_id, last)).fetchone():
                await asyncio.sleep(0.02)
            elapsed = time.perf_counter() - started
            events = bridge.committed - base
            ami_events = sim.events_emitted - emitted
            ended, = conn.execute("SELECT count(*) FROM callcenter_call WHERE"
                " server = %s AND state = 'ended'", (server_id,)).fetchone()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    return {'calls': len(calls), 'calls_ended': ended,
        'events': ami_events, 'seconds': round(elapsed, 2),
        'events_per_s': round(ami_events / elapsed, 1),
        'mapped_events': events,
        'mapped_events_per_s': round(events / elapsed, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=int, default=20000,
        help="AMI events to send (about 30 per call)")
    parser.add_argument('--no-journal', action='store_true',
        help="without the bridge's AMI journal (to measure its cost)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with bench_server('bench_bridge') as (settings, server_uri):
        print(f"preparing database {settings.db_name!r}…", flush=True)
        config = provision.prepare(settings, server_uri)
        result = asyncio.run(bench(config, settings.db_name, server_uri,
                args.scale, not args.no_journal))
    result['journal'] = not args.no_journal
    print(f"{result['calls']} calls in {result['seconds']} s: "
        f"{result['events']} AMI events ({result['events_per_s']}/s) "
        f"mapped to {result['mapped_events']} call-log events "
        f"({result['mapped_events_per_s']}/s), all committed")
    print(json.dumps({'bench': 'bridge_throughput', **result}))


if __name__ == '__main__':
    main()
