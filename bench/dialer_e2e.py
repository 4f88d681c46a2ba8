"""End to end: the real dialer, bridge and PBX simulator over TCP.

A predictive campaign with 20 agents (simulator phones in the campaign's
queue, auto-answering) runs for ``--scale`` simulated minutes (default
120) at tempo 20 (a PBX second lasts 0.05 s). The simulator answers as
the issue's model says: live 30 % after 5-20 s, machine 15 %, busy 5 %,
invalid 5 %, no answer 45 % (25 s); talk exponential, mean 180 s. The
dialer runs with its Tryton store on a database with every module and the
demo data (as ``./callcenter setup`` builds it), the bridge logs the
calls. Leads: London numbers (inside the calling window now) plus
Shanghai numbers (outside it now) and do-not-call numbers, which must
never be dialled.

    nice .venv/bin/python bench/dialer_e2e.py [--scale 120] [--agents 20]

Figures: occupancy = agents' talk time / (agents x simulated time);
abandon = calls a person answered that got no agent within 2 s, in % of
calls a person answered; violations = numbers dialled outside their
window, on the do-not-call list, or while a call to them was up;
decision p99 = the dialer's decision loop (pacing and ``next_leads``).
Last line: JSON with bench, agents, occupancy, abandon_pct,
decision_p99_ms, violations.
"""
import argparse
import asyncio
import datetime as dt
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
from callcenter.pbxsim.outbound_model import OutboundModel  # noqa

TEMPO = 0.05
LONDON, SHANGHAI = '+44207', '+8621'


def _window(now):
    "Four hours around London's local time now (Shanghai is then out)."
    from zoneinfo import ZoneInfo
    local = dt.datetime.now(ZoneInfo('Europe/London'))
    start = max(local.hour - 1, 0)
    end = min(local.hour + 3, 23)
    return dt.time(start, 0), dt.time(end, 59, 59)


def setup(pool, server_id, leads, dnc):
    company = pool.get('company.company').search([], limit=1)[0]
    queue = pool.get('callcenter.queue').get_or_create(
        server_id, ['outbound'])['outbound']
    task, = pool.get('callcenter.campaign.task').create([{
                'name': f'Bench {time.time():.0f}', 'state': 'open',
                'company': company.id}])
    numbers = ([f'{LONDON}{i:07d}' for i in range(leads)]
        + [f'{SHANGHAI}{i:08d}' for i in range(leads // 10)]
        + [f'{LONDON}9{i:06d}' for i in range(dnc)])
    pool.get('callcenter.campaign.lead').create([{'task': task.id,
                'company': company.id, 'name': n,
                'numbers': [('create', [{'number': n}])]} for n in numbers])
    pool.get('callcenter.campaign.dnc').create([{'company': company.id,
                'number': f'{LONDON}9{i:06d}'} for i in range(dnc)])
    start, end = _window(None)
    Campaign = pool.get('callcenter.campaign')
    campaign, = Campaign.create([{'name': task.name, 'task': task.id,
                'company': company.id, 'dial_mode': 'predictive',
                'queue': queue.id, 'skip_holidays': False,
                'morning_start': start, 'morning_end': end,
                'afternoon_start': None, 'afternoon_end': None,
                'max_attempts': 3}])
    Campaign.start([campaign])
    return campaign.id


def stop(pool, campaign_id):
    Campaign = pool.get('callcenter.campaign')
    Campaign.stop([Campaign(campaign_id)])


async def bench(config, db_name, server_uri, minutes, agents):
    from trytond.modules.callcenter_campaign.dialer.engine import (
        Dialer, DialerConfig)
    from trytond.modules.callcenter_campaign.dialer.store import TrytonStore
    from trytond.modules.callcenter_cti.bridge.bridge import (
        Bridge, BridgeConfig, Tryton)
    from trytond.modules.callcenter_cti.bridge.client import ClientConfig
    extensions = tuple(str(2001 + i) for i in range(agents))
    duration = minutes * 60
    leads = int(duration / 180 * agents * 4)
    with tempfile.TemporaryDirectory() as tmp, database.connect(
            server_uri, db_name, autocommit=True) as conn:
        sim_config = SimConfig(port=0, tempo=TEMPO, recordings=Path(tmp),
            agents=extensions, queues=('outbound',),
            outbound=OutboundModel(live=0.30, machine=0.15, busy=0.05,
                invalid=0.05, noanswer_ring=25.0, seed=17))
        async with Simulator(sim_config) as sim:
            server_id, = conn.execute("SELECT id FROM callcenter_pbx_server"
                " ORDER BY id LIMIT 1").fetchone()
            conn.execute("UPDATE callcenter_pbx_server SET port = %s, "
                "host = '127.0.0.1', secret = 'cti-secret', active = true"
                " WHERE id = %s", (sim.port, server_id))
            tryton = Tryton(config, db_name)
            campaign = await asyncio.to_thread(tryton.call, setup,
                server_id, leads, 50)
            bridge = asyncio.create_task(
                Bridge(config, db_name, BridgeConfig()).run())
            dialer = Dialer(TrytonStore(tryton), DialerConfig(ClientConfig(
                        port=sim.port, username='cti',
                        secret='cti-secret'), tick=0.05, refresh=1.0))
            task = asyncio.create_task(dialer.run())
            started = time.monotonic()
            await asyncio.sleep(duration * TEMPO)
            await asyncio.to_thread(tryton.call, stop, campaign)
            wall = time.monotonic() - started
            task.cancel()
            bridge.cancel()
            await asyncio.gather(task, bridge, return_exceptions=True)
            return figures(sim, dialer, duration, agents, wall)


def figures(sim, dialer, duration, agents, wall):
    report = sim.outbound.report
    talk = sum(a.ended_at - a.connected_at for a in report.attempts
        if a.connected_at is not None and a.ended_at is not None)
    live = report.count(outcome='live')
    abandoned = report.count(abandoned=True)
    outside = sum(a.number.startswith(SHANGHAI) for a in report.attempts)
    dnc = sum(a.number.startswith(f'{LONDON}9') for a in report.attempts)
    return {'agents': agents, 'sim_minutes': duration // 60,
        'wall_seconds': round(wall, 1), 'dials': len(report.attempts),
        'live': live, 'abandoned': abandoned,
        'occupancy': round(talk / (agents * duration), 3),
        'abandon_pct': round(100 * abandoned / live, 2) if live else 0.0,
        'decision_p99_ms': round(dialer.decision_p99(), 1),
        'pacing_p99_ms': round(dialer.decision_p99(pacing_only=True), 2),
        'outside_window': outside, 'dnc_dialled': dnc,
        'overlaps': len(report.overlaps),
        'violations': outside + dnc + len(report.overlaps)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=int, default=120,
        help="simulated minutes (default 120)")
    parser.add_argument('--agents', type=int, default=20)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with bench_server('bench_dialer') as (settings, server_uri):
        print(f"preparing database {settings.db_name!r}…", flush=True)
        config = provision.prepare(settings, server_uri)
        result = asyncio.run(bench(config, settings.db_name, server_uri,
                args.scale, args.agents))
    print(f"{result['agents']} agents, {result['sim_minutes']} simulated "
        f"minutes in {result['wall_seconds']} s: {result['dials']} dials, "
        f"{result['live']} answered by a person, {result['abandoned']} "
        f"abandoned ({result['abandon_pct']} %), occupancy "
        f"{result['occupancy']}")
    print(f"decision loop p99 {result['decision_p99_ms']} ms (pacing "
        f"alone {result['pacing_p99_ms']} ms); violations: "
        f"{result['outside_window']} outside the window, "
        f"{result['dnc_dialled']} do-not-call, {result['overlaps']} "
        f"dialled twice at once")
    print(json.dumps({'bench': 'dialer_e2e', **{k: result[k] for k in (
                    'agents', 'occupancy', 'abandon_pct', 'decision_p99_ms',
                    'violations')}}))


if __name__ == '__main__':
    main()
