"""Latency of the agents' phone commands: commit → the action at the PBX.

An agent's ``set_not_ready`` is committed (as the phone bar's RPC does) and
the time until the PBX simulator receives the matching ``QueuePause`` is
measured, one command after the other. Two runs on the same database:
``notify`` (the bridge LISTENs, as shipped) and the baseline ``poll`` (no
LISTEN, the queue is looked at every ``--poll`` seconds).

    .venv/bin/python bench/phone_commands.py [--scale 50] [--poll 1.0]

Uses its own embedded PostgreSQL (var/bench/pgdata) unless
CALLCENTER_DB_URI is set. Last line: JSON with the p50/p95 of both runs.
"""
import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, provision  # noqa
from callcenter.benchmark import bench_server  # noqa
from callcenter.pbxsim import SimConfig, Simulator  # noqa


def _pause(pool, agent_id, reason):
    Agent = pool.get('callcenter.agent')
    Agent.set_not_ready([Agent(agent_id)], reason)


async def measure(config, db_name, conn, scale, label):
    from trytond.modules.callcenter_cti.bridge.bridge import (
        Bridge, BridgeConfig)
    with tempfile.TemporaryDirectory() as tmp:
        async with Simulator(SimConfig(port=0, tempo=0,
                recordings=Path(tmp))) as sim:
            server_id, = conn.execute("SELECT id FROM callcenter_pbx_server"
                " ORDER BY id LIMIT 1").fetchone()
            conn.execute("UPDATE callcenter_pbx_server SET port = %s, "
                "secret = 'cti-secret', active = true WHERE id = %s",
                (sim.port, server_id))
            conn.execute("DELETE FROM callcenter_pbx_command")
            agent_id, = conn.execute("SELECT a.id FROM callcenter_agent a"
                " JOIN res_user u ON a.user = u.id WHERE u.login = 'agent1'"
                ).fetchone()
            bridge = Bridge(config, db_name, BridgeConfig())
            task = asyncio.create_task(bridge.run())
            link = None
            while not (link and link.client and link.client.connected):
                link = bridge.links.get(server_id)
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)    # resync and the first look done
            latencies = []
            for index in range(scale):
                reason = f'{label}-{index}'
                started = time.perf_counter()
                await asyncio.to_thread(bridge.tryton.call, _pause,
                    agent_id, reason)
                await sim.wait_action('QueuePause',
                    lambda h, r=reason: h.get('reason') == r)
                latencies.append(time.perf_counter() - started)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    latencies.sort()
    return {
        'p50_ms': round(statistics.median(latencies) * 1000, 1),
        'p95_ms': round(latencies[int(0.95 * (len(latencies) - 1))] * 1000,
            1),
        'max_ms': round(latencies[-1] * 1000, 1)}


async def bench(config, db_name, server_uri, scale, poll):
    from trytond.modules.callcenter_cti.bridge import commands
    with database.connect(server_uri, db_name, autocommit=True) as conn:
        notify = await measure(config, db_name, conn, scale, 'notify')
        listen, interval = commands.listen, commands.POLL_INTERVAL

        async def no_listen(bridge):
            await asyncio.Event().wait()
        commands.listen, commands.POLL_INTERVAL = no_listen, poll
        try:
            polled = await measure(config, db_name, conn, scale, 'poll')
        finally:
            commands.listen, commands.POLL_INTERVAL = listen, interval
    return {'commands': scale, 'poll_s': poll, 'notify': notify,
        'poll': polled}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=int, default=50,
        help="commands per run")
    parser.add_argument('--poll', type=float, default=1.0,
        help="poll interval of the baseline run (seconds)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with bench_server('bench_bridge') as (settings, server_uri):
        print(f"preparing database {settings.db_name!r}…", flush=True)
        config = provision.prepare(settings, server_uri)
        result = asyncio.run(bench(config, settings.db_name, server_uri,
                args.scale, args.poll))
    for mode in ('notify', 'poll'):
        figures = result[mode]
        print(f"{mode:>6}: {args.scale} commands, commit → PBX p50 "
            f"{figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max "
            f"{figures['max_ms']} ms")
    print(json.dumps({'bench': 'phone_commands', **result}))


if __name__ == '__main__':
    main()
