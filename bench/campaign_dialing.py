"""Benchmark of the campaign dialer's API (issue 12, CMP-02).

    nice .venv/bin/python bench/campaign_dialing.py [--scale N]
        [--rounds N] [--batch N] [--reuse]

Creates a fresh database ``campaign_bench`` with every call-center module
active (as ``./callcenter setup`` builds it) on the embedded PostgreSQL of
``var/bench`` (or CALLCENTER_DB_URI), loads one open customer task of N
leads (default 20,000; one or two numbers each, Chinese, US and UK
numbers, so in three time zones) by COPY, a company-wide do-not-call list
of 2,000 numbers and 20 prefixes, and a history of 3 attempts per lead
over the last days (recycling delays and 24 h limits apply). Then times,
in one committed transaction per round like the dialer does,
``next_leads(campaign, batch, now)`` and ``record_outcome`` on each attempt
it handed out. Prints readable lines, the plan of the candidate query and,
last, one JSON line.
"""
import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, tryton  # noqa: E402
from callcenter.benchmark import (  # noqa: E402
    bench_server, copy_rows, fresh_database, percentile)
from callcenter.settings import MODULES  # noqa: E402

DB_NAME = 'campaign_bench'
SEED = 20261205
# 02:00 UTC: 10:00 in Shanghai, 21:00 in New York (closed), 02:00 London.
NOW = dt.datetime(2026, 12, 7, 2, 0)
OUTCOMES = ['live'] * 30 + ['machine'] * 15 + ['busy'] * 5 + [
    'invalid'] * 5 + ['no_answer'] * 43 + ['abandoned'] * 2


def setup(pool, scale):
    "Company, settings, task and campaign through the ORM; ids back."
    from trytond.modules.company.tests import create_company, set_company
    from trytond.transaction import Transaction
    Campaign = pool.get('callcenter.campaign')
    Task = pool.get('callcenter.campaign.task')
    company = create_company()
    with set_company(company), Transaction().set_context(
            companies=[company.id]):
        task, = Task.create([{'name': "Bench leads", 'state': 'open'}])
        campaign, = Campaign.create([{
                    'name': "Bench", 'task': task.id,
                    'dial_mode': 'predictive', 'pacing_ratio': 3,
                    'max_attempts': 6, 'max_number_attempts': 3}])
        Campaign.start([campaign])
    return company.id, task.id, campaign.id


def number_of(i):
    "Zone, E.164 key and national digits of lead i's first number."
    if i % 10 < 8:
        return 'Asia/Shanghai', f'+86138{i:08d}', f'138{i:08d}'
    if i % 2:
        return ('America/New_York', f'+1212555{i % 10000:04d}',
            f'212555{i % 10000:04d}')
    return ('Europe/London', f'+4420712{i % 100000:05d}',
        f'020712{i % 100000:05d}')


def load(conn, company, task, campaign, scale):
    "COPY leads, numbers, attempts and do-not-call entries."
    rng = random.Random(SEED)
    now = dt.datetime.now()
    started = time.perf_counter()
    first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 "
        "FROM callcenter_campaign_lead").fetchone()[0]
    leads, numbers, attempts = [], [], []
    number_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 "
        "FROM callcenter_campaign_lead_number").fetchone()[0]
    for i in range(scale):
        lead = first + i
        zone, key, national = number_of(i)
        tried = rng.random() < 0.6
        next_at = (NOW - dt.timedelta(minutes=rng.randrange(1, 600))
            if tried and rng.random() < 0.5 else
            NOW + dt.timedelta(hours=rng.randrange(1, 48)) if tried
            else None)
        leads.append((lead, task, company, f"Lead {i}", zone, 'new',
            'ready', next_at, 3 if tried else 0, 1, False, False, 0, now))
        own = [number_id]
        numbers.append((number_id, lead, key, national, 'active', 0, now))
        number_id += 1
        if i % 3 == 0:
            alt = f'+86139{i:08d}'
            numbers.append((number_id, lead, alt, alt[3:], 'active', 0,
                now))
            own.append(number_id)
            number_id += 1
        if tried:
            for k in range(3):
                attempts.append((company, campaign, lead, own[k % len(own)],
                    NOW - dt.timedelta(hours=rng.randrange(1, 96)),
                    rng.choice(OUTCOMES), 1, 0, now))
    copy_rows(conn, 'callcenter_campaign_lead',
        ['id', 'task', 'company', 'name', 'timezone', 'follow_up_state',
            'dial_state', 'next_attempt_at', 'attempt_count', 'pass_number',
            'reached', 'callback_notified', 'create_uid', 'create_date'],
        leads)
    copy_rows(conn, 'callcenter_campaign_lead_number',
        ['id', 'lead', 'number', 'key', 'national', 'state', 'create_uid',
            'create_date'],
        [(n[0], n[1], n[2], n[2], n[3], n[4], n[5], n[6]) for n in numbers])
    copy_rows(conn, 'callcenter_campaign_attempt',
        ['company', 'campaign', 'lead', 'number', 'started_at', 'outcome',
            'pass_number', 'create_uid', 'create_date'], attempts)
    dnc = [(company, f'+86138{i:08d}', False, f'+86138{i:08d}', 0, now)
        for i in rng.sample(range(scale), min(2000, scale))]
    dnc += [(company, f'+86138{p:04d}', True, f'+86138{p:04d}', 0, now)
        for p in rng.sample(range(10000), 20)]
    copy_rows(conn, 'callcenter_campaign_dnc',
        ['company', 'number', 'prefix', 'key', 'create_uid', 'create_date'],
        dnc)
    for table in ['lead', 'lead_number', 'attempt', 'dnc']:
        conn.execute(f"SELECT setval('callcenter_campaign_{table}_id_seq', "
            f"(SELECT MAX(id) FROM callcenter_campaign_{table}))")
    conn.commit()
    conn.autocommit = True
    for table in ['lead', 'lead_number', 'attempt', 'dnc']:
        conn.execute(f'VACUUM ANALYZE callcenter_campaign_{table}')
    conn.autocommit = False
    print(f"loaded {scale} leads, {len(numbers)} numbers, {len(attempts)} "
        f"attempts, {len(dnc)} do-not-call entries in "
        f"{time.perf_counter() - started:.1f} s", flush=True)


def one_round(pool, campaign_id, batch, now, rng):
    from trytond.modules.callcenter_campaign.dialing import (
        next_leads, record_outcome)
    campaign = pool.get('callcenter.campaign')(campaign_id)
    start = time.perf_counter()
    attempts = next_leads(campaign, batch, now)
    picked = (time.perf_counter() - start) * 1000
    recorded = []
    for attempt in attempts:
        start = time.perf_counter()
        record_outcome(attempt, rng.choice(OUTCOMES), now=now)
        recorded.append((time.perf_counter() - start) * 1000)
    return picked, recorded, len(attempts)


def plan(pool, task_id):
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    cursor.execute(
        'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) '
        'SELECT l.id FROM callcenter_campaign_lead AS l '
        'WHERE l.task = %s AND l.dial_state = \'ready\' '
        'AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= %s) '
        'AND l.timezone = ANY(%s) '
        'ORDER BY l.next_attempt_at ASC NULLS FIRST, l.id ASC LIMIT 10 '
        'FOR UPDATE SKIP LOCKED', (task_id, NOW, ['Asia/Shanghai']))
    return [line for line, in cursor]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=int, default=20_000)
    parser.add_argument('--rounds', type=int, default=300)
    parser.add_argument('--batch', type=int, default=10)
    parser.add_argument('--reuse', action='store_true',
        help="time again on the database loaded by a previous run")
    args = parser.parse_args(argv)
    with bench_server(DB_NAME) as (settings, server_uri):
        config = settings.var / 'campaign_dialing' / 'trytond.conf'
        if not (args.reuse and database.exists(server_uri, DB_NAME)):
            config = create(settings, server_uri, args)
        return measure(config, server_uri, args)


def create(settings, server_uri, args):
    started = time.perf_counter()
    config = fresh_database(settings, server_uri, DB_NAME,
        'callcenter_campaign', 'campaign_dialing')
    tryton.admin(config, DB_NAME, '--update', *MODULES,
        '--activate-dependencies')
    print(f"database ready in {time.perf_counter() - started:.1f} s",
        flush=True)
    company, task, campaign = tryton.call(
        config, DB_NAME, setup, args.scale, user=0)
    with database.connect(server_uri, DB_NAME) as conn:
        load(conn, company, task, campaign, args.scale)
    return config


def measure(config, server_uri, args):
    with database.connect(server_uri, DB_NAME) as conn:
        campaign_id, task_id = conn.execute(
            "SELECT id, task FROM callcenter_campaign "
            "WHERE name = 'Bench' ORDER BY id DESC LIMIT 1").fetchone()
        leads = conn.execute("SELECT COUNT(*) FROM callcenter_campaign_lead "
            "WHERE task = %s", (task_id,)).fetchone()[0]
    pool = tryton.init_pool(config, DB_NAME)
    rng = random.Random(SEED + 1)
    picks, records, dialled = [], [], 0
    for n in range(args.rounds):
        now = NOW + dt.timedelta(seconds=5 * n)
        picked, recorded, count = tryton.run(
            pool, DB_NAME, one_round, campaign_id, args.batch, now, rng)
        picks.append(picked)
        records.extend(recorded)
        dialled += count
    lines = tryton.run(pool, DB_NAME, plan, task_id)
    print("\nEXPLAIN candidate query:")
    for line in lines:
        print('   ', line)
    result = {
        'bench': 'campaign_dialing',
        'leads': leads,
        'rounds': len(picks),
        'batch': args.batch,
        'dialled': dialled,
        'next_leads_p50_ms': round(statistics.median(picks), 2),
        'next_leads_p95_ms': round(percentile(picks, 95), 2),
        'record_outcome_p50_ms': round(statistics.median(records), 2),
        'record_outcome_p95_ms': round(percentile(records, 95), 2),
        }
    print(f"\nnext_leads({args.batch}): {len(picks)} rounds, {dialled} "
        f"attempts, p50 {result['next_leads_p50_ms']} ms, "
        f"p95 {result['next_leads_p95_ms']} ms (target <= 50 ms)")
    print(f"record_outcome: {len(records)} outcomes, "
        f"p50 {result['record_outcome_p50_ms']} ms, "
        f"p95 {result['record_outcome_p95_ms']} ms")
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main())
