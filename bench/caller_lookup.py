"""Benchmark of caller lookup (issue 3, CTI-04).

    .venv/bin/python bench/caller_lookup.py [--scale N] [--queries N]
        [--baseline N]

Creates a fresh database ``cti_bench`` with ``callcenter_cti`` activated on
the embedded PostgreSQL of ``var/bench`` (or on CALLCENTER_DB_URI), loads N
customers (default 1,000,000) with two numbers each (a mobile and a
landline, the landlines of different cities sharing their last 8 digits
now and then) by COPY, with the matching keys computed as the module
does, then times ``callcenter.call.match_number`` on caller IDs in the
formats a PBX delivers (E.164, national, trunk prefix, local number without
prefix, unknown) against Tryton's standard search
``party.party`` ``[('contact_mechanisms.value', 'ilike', '%<number>%')]``
in the same run. Prints readable lines, the plan of the lookups and, last,
one JSON line.
"""
import argparse
import datetime as dt
import io
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

DB_NAME = 'cti_bench'
SEED = 20240611
AREAS = ['10', '21', '20', '755', '571', '28', '27', '25']
MOBILE_PREFIXES = ['130', '131', '135', '136', '138', '139', '150', '158',
    '186', '188']
TAIL = 8


def mobile(i):
    "A unique Chinese mobile number: national digits and display value."
    digits = MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)] + f'{i:08d}'
    return digits, f'+86 {digits[:3]} {digits[3:7]} {digits[7:]}'


def landline(i):
    "A landline; ~1 in 8 shares its 8-digit local number with another city."
    area = AREAS[i % len(AREAS)]
    local = f'{(i // 8) * 7919 % 90_000_000 + 10_000_000:08d}'
    if i % 8 == 0:
        area = AREAS[(i // 8) % len(AREAS)]
    return area, local, f'+86 {area} {local[:4]} {local[4:]}'


def load(conn, count):
    "COPY the parties and their numbers, keys filled like the module."
    now = dt.datetime.now()
    started = time.perf_counter()
    cursor = conn.execute('SELECT COALESCE(MAX(id), 0) FROM party_party')
    first = cursor.fetchone()[0] + 1
    copy_rows(conn, 'party_party',
        ['id', 'name', 'code', 'active', 'create_uid', 'create_date'],
        ((first + i, f'Customer {i}', f'B{i:07d}', True, 0, now)
            for i in range(count)))
    conn.execute("SELECT setval('party_party_id_seq', %s)",
        (first + count,))

    def mechanisms():
        for i in range(count):
            digits, value = mobile(i)
            key = '+86' + digits
            yield (first + i, 'mobile', value, key, key, key[-TAIL:],
                True, 0, now)
            area, local, value = landline(i)
            key = f'+86{area}{local}'
            yield (first + i, 'phone', value, key, key, key[-TAIL:],
                True, 0, now)
    copy_rows(conn, 'party_contact_mechanism',
        ['party', 'type', 'value', 'value_compact', 'phone_key',
            'phone_tail', 'active', 'create_uid', 'create_date'],
        mechanisms())
    conn.commit()
    conn.autocommit = True
    conn.execute('VACUUM ANALYZE party_party')
    conn.execute('VACUUM ANALYZE party_contact_mechanism')
    conn.autocommit = False
    print(f"loaded {count} customers and {2 * count} numbers in "
        f"{time.perf_counter() - started:.1f} s", flush=True)
    return first


def make_queries(count, customers, first):
    "Caller IDs as a PBX delivers them, with the party expected."
    rng = random.Random(SEED)
    queries = []
    for n in range(count):
        i = rng.randrange(customers)
        kind = n % 20
        if kind < 8:
            number = '+86' + mobile(i)[0]
        elif kind < 13:
            number = mobile(i)[0]
        elif kind < 16:
            area, local, _ = landline(i)
            number = f'0{area}{local}'
        elif kind < 19:
            number = landline(i)[1]
        else:
            number = f'+8617{rng.randrange(10 ** 9):09d}'
            i = None
        queries.append((number, None if i is None else first + i))
    return queries


def baseline_values(count, customers):
    "Numbers as the customer form shows them, for the standard search."
    rng = random.Random(SEED + 1)
    return [mobile(rng.randrange(customers))[1] for _ in range(count)]


def run(pool, queries, baseline):
    from trytond.transaction import Transaction
    Call = pool.get('callcenter.call')
    Party = pool.get('party.party')
    for number, _ in queries[:50]:
        Call.match_number(number)
    ours, found, wrong = [], 0, 0
    for number, expected in queries:
        start = time.perf_counter()
        parties = Call.match_number(number)
        ours.append((time.perf_counter() - start) * 1000)
        found += bool(parties)
        wrong += expected is not None and expected not in parties
    plain, plain_found = [], 0
    for value in baseline:
        start = time.perf_counter()
        parties = Party.search(
            [('contact_mechanisms.value', 'ilike', f'%{value}%')])
        plain.append((time.perf_counter() - start) * 1000)
        plain_found += bool(parties)
    cursor = Transaction().connection.cursor()
    plans = {}
    for column, value in [('phone_key', queries[0][0]),
            ('phone_tail', queries[16][0][-TAIL:])]:
        cursor.execute('EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) '
            'SELECT party FROM party_contact_mechanism '
            f'WHERE {column} = %s', (value,))
        plans[column] = [line for line, in cursor]
    return ours, found, wrong, plain, plain_found, plans



def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=int, default=1_000_000)
    parser.add_argument('--queries', type=int, default=2000)
    parser.add_argument('--baseline', type=int, default=20)
    parser.add_argument('--reuse', action='store_true',
        help="time again on the database loaded by a previous run")
    args = parser.parse_args(argv)
    with bench_server(DB_NAME) as (settings, server_uri):
        return bench(settings, server_uri, args)


def prewarm(server_uri):
    "Load the lookup's indexes and tables in memory, as in production."
    with database.connect(server_uri, DB_NAME, autocommit=True) as conn:
        conn.execute('CREATE EXTENSION IF NOT EXISTS pg_prewarm')
        relations = [name for name, in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = "
                "'party_contact_mechanism' AND (indexdef LIKE '%%phone_key%%' "
                "OR indexdef LIKE '%%phone_tail%%')")]
        relations += ['party_contact_mechanism', 'party_party',
            'party_party_pkey']
        for relation in relations:
            conn.execute('SELECT pg_prewarm(%s)', (relation,))


def reused(settings, server_uri, args):
    "The config and first party id of the database a previous run loaded."
    config = settings.var / 'caller_lookup' / 'trytond.conf'
    with database.connect(server_uri, DB_NAME) as conn:
        first, count = conn.execute(
            "SELECT MIN(id), COUNT(*) FROM party_party "
            "WHERE code LIKE 'B%%'").fetchone()
    args.scale = count
    return config, first


def bench(settings, server_uri, args):
    if args.reuse and database.exists(server_uri, DB_NAME):
        config, first = reused(settings, server_uri, args)
    else:
        config, first = create(settings, server_uri, args)
    prewarm(server_uri)
    return measure(config, first, args)


def create(settings, server_uri, args):
    started = time.perf_counter()
    config = fresh_database(
        settings, server_uri, DB_NAME, 'callcenter_cti', 'caller_lookup')
    print(f"database ready in {time.perf_counter() - started:.1f} s",
        flush=True)
    with database.connect(server_uri, DB_NAME) as conn:
        conn.execute(
            "INSERT INTO country_country (name, code, create_uid, "
            "create_date) VALUES ('China', 'CN', 0, now())")
        conn.execute(
            "INSERT INTO callcenter_configuration (phone_country, "
            "phone_tail_digits, create_uid, create_date) SELECT id, %s, 0, "
            "now() FROM country_country WHERE code = 'CN'", (TAIL,))
        first = load(conn, args.scale)
    return config, first


def measure(config, first, args):
    queries = make_queries(args.queries, args.scale, first)
    baseline = baseline_values(args.baseline, args.scale)
    ours, found, wrong, plain, plain_found, plans = tryton.call(
        config, DB_NAME, run, queries, baseline, user=1)
    for column, lines in plans.items():
        print(f"\nEXPLAIN lookup on {column}:")
        for line in lines:
            print('   ', line)
    result = {
        'bench': 'caller_lookup',
        'customers': args.scale,
        'numbers': 2 * args.scale,
        'queries': len(ours),
        'p50_ms': round(statistics.median(ours), 3),
        'p99_ms': round(percentile(ours, 99), 3),
        'baseline_queries': len(plain),
        'baseline_p50_ms': round(statistics.median(plain), 1),
        'baseline_p99_ms': round(percentile(plain, 99), 1),
        }
    result['speedup'] = round(result['baseline_p99_ms'] / result['p99_ms'])
    print(f"\nmatch_number: {len(ours)} caller IDs, {found} matched, "
        f"{wrong} missing their customer")
    print(f"match_number: p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms (target <= 2 ms)")
    print(f"standard search: {len(plain)} numbers, {plain_found} found, "
        f"p50 {result['baseline_p50_ms']} ms, "
        f"p99 {result['baseline_p99_ms']} ms")
    print(f"speedup at p99: {result['speedup']}x (target >= 100x)")
    print(json.dumps(result))
    return 0 if not wrong else 1


if __name__ == '__main__':
    sys.exit(main())
