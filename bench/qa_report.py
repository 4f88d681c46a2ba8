"""Benchmark of the QA results report (issue 11, QA-05).

    nice .venv/bin/python bench/qa_report.py [--scale N] [--queries N]
        [--reuse]

Creates a fresh database ``qa_bench`` with every call-center module
active (as ``callcenter setup`` builds it) on the embedded PostgreSQL of
``var/bench`` (or on CALLCENTER_DB_URI): a company, 200 agents in 10
teams, 5 QA staff and two QA forms through Tryton, then N evaluations
(default 100,000) of N calls over 90 days with 6 lines each, by COPY.
Then, as a team leader and as QA (record rules applied), it times what
the web client does to show the *QA Results* list and graph: search then
read of ``callcenter.qa.report`` over the last 30 days grouped by agent,
team or template, and the per-item report. Prints readable lines, the
plans and, last, one JSON line.
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
    bench_server, copy_rows, percentile)
from callcenter.settings import MODULES  # noqa: E402

DB_NAME = 'qa_bench'
SEED = 20261205
AGENTS, TEAMS, GRADERS = 200, 10, 5
DAYS = 90
LINES = [("Greeting", 10, 1, False, False), ("Identity", 1, 1, True, False),
    ("Understanding", 20, 2, False, False), ("Solution", 30, 3, False, False),
    ("Courtesy", 10, 1, False, False), ("Offer", 10, 1, False, True)]
TARGET_MS = 200


def fresh_database(settings, server_uri):
    "``qa_bench`` anew with every call-center module, as setup builds it."
    database.drop(server_uri, DB_NAME)
    database.create(server_uri, DB_NAME)
    database.create_extensions(server_uri, DB_NAME)
    config = tryton.write_config(
        settings, server_uri, settings.var / 'qa_report' / 'trytond.conf')
    tryton.admin(config, DB_NAME, '--update', *MODULES,
        '--activate-dependencies', '--email', 'a@b.c', password='x')
    return config


def setup_staff(pool):
    "Company, agents in led teams, graders, a PBX and two forms."
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    User = pool.get('res.user')
    Team = pool.get('callcenter.team')
    Server = pool.get('callcenter.pbx.server')
    Agent = pool.get('callcenter.agent')
    Template = pool.get('callcenter.qa.template')
    ModelData = pool.get('ir.model.data')
    cny, = Currency.create([{'name': "Yuan", 'code': 'CNY', 'symbol': '¥'}])
    party, = Party.create([{'name': "Bench Center"}])
    company, = Company.create([{'party': party.id, 'currency': cny.id}])
    in_company = {'companies': [('add', [company.id])],
        'company': company.id}

    def group(name):
        return [('add', [ModelData.get_id('callcenter_base', name)])]
    users = User.create([{'login': f'agent{i}', 'name': f"Agent {i}",
                'groups': group('group_agent'), **in_company}
            for i in range(AGENTS)])
    leaders = User.create([{'login': f'leader{t}', 'name': f"Leader {t}",
                'groups': group('group_team_leader'), **in_company}
            for t in range(TEAMS)])
    graders = User.create([{'login': f'qa{g}', 'name': f"QA {g}",
                'groups': group('group_qa'), **in_company}
            for g in range(GRADERS)])
    teams = Team.create([{'name': f"Team {t}", 'company': company.id,
                'leader': leaders[t].id, 'members': [('add', [leaders[t].id]
                        + [u.id for u in users[t::TEAMS]])]}
            for t in range(TEAMS)])
    server, = Server.create([{'name': "PBX", 'username': 'bench'}])
    agents = Agent.create([{'user': u.id, 'server': server.id,
                'extension': f'{2000 + i}', 'interface': f'PJSIP/{2000 + i}'}
            for i, u in enumerate(users)])
    templates = Template.create([{'name': name, 'company': company.id,
                'passing_score': 80, 'lines': [('create', [{
                                'sequence': i, 'name': n, 'max_score': m,
                                'weight': w, 'auto_fail': f,
                                'na_allowed': na}
                            for i, (n, m, w, f, na) in enumerate(LINES)])]}
            for name in ["Service QA", "Telesales QA"]])
    Template.activate(templates)
    return {
        'company': company.id, 'server': server.id,
        'agents': [(a.id, a.user.id) for a in agents],
        'teams': {u.id: teams[i % TEAMS].id for i, u in enumerate(users)},
        'leader': leaders[0].id, 'graders': [g.id for g in graders],
        'templates': [[t.id, [(l.id, l.name, float(l.max_score),
                        float(l.weight), l.auto_fail, l.na_allowed)
                    for l in t.lines]]
            for t in templates],
        }


def read_staff(pool):
    "The staff setup_staff created in a previous run."
    Company = pool.get('company.company')
    User = pool.get('res.user')
    Team = pool.get('callcenter.team')
    Agent = pool.get('callcenter.agent')
    Template = pool.get('callcenter.qa.template')
    Server = pool.get('callcenter.pbx.server')
    company, = Company.search([])
    agents = Agent.search([], order=[('id', 'ASC')])
    teams = {m.id: t.id for t in Team.search([]) for m in t.members}
    templates = Template.search([], order=[('id', 'ASC')])
    return {
        'company': company.id, 'server': Server.search([])[0].id,
        'agents': [(a.id, a.user.id) for a in agents],
        'teams': teams,
        'leader': User.search([('login', '=', 'leader0')])[0].id,
        'graders': [u.id for u in User.search(
                [('login', 'like', 'qa%')], order=[('login', 'ASC')])],
        'templates': [[t.id, [(l.id, l.name, float(l.max_score),
                        float(l.weight), l.auto_fail, l.na_allowed)
                    for l in t.lines]]
            for t in templates],
        }


def next_id(conn, table):
    return conn.execute(
        f'SELECT COALESCE(MAX(id), 0) + 1 FROM {table}').fetchone()[0]


def load(conn, count, staff):
    "COPY the calls, the evaluations and their lines, then analyze."
    rng = random.Random(SEED)
    now = dt.datetime.now()
    started = time.perf_counter()
    first_call = next_id(conn, 'callcenter_call')
    first_eval = next_id(conn, 'callcenter_qa_evaluation')
    first_line = next_id(conn, 'callcenter_qa_evaluation_line')
    calls, evaluations, lines = [], [], []
    line_id = first_line
    for i in range(count):
        agent, user = staff['agents'][i % AGENTS]
        start = now - dt.timedelta(minutes=rng.randrange(DAYS * 24 * 60))
        calls.append((first_call + i, staff['server'], f'bench.{first_call + i}', 'ended',
                'inbound', agent, start, start + dt.timedelta(minutes=4),
                0, now))
        template, tlines = staff['templates'][i % 4 == 3]
        points = possible = 0
        failed = False
        for tl_id, name, max_, weight, auto_fail, na_allowed in tlines:
            na = na_allowed and rng.random() < 0.2
            score = None if na else (max_ if auto_fail and rng.random() > .03
                else 0 if auto_fail else round(max_ * rng.choice(
                            [1, 1, .9, .8, .7, .5]), 1))
            if not na:
                points += score * weight
                possible += max_ * weight
                failed |= auto_fail and score < max_
            lines.append((line_id, first_eval + i, tl_id, name, max_,
                    weight, auto_fail, na_allowed, na, score, 0, now))
            line_id += 1
        result = 0 if failed else round(points * 100 / possible, 2)
        evaluations.append((first_eval + i, staff['company'],
                first_call + i, agent, staff['teams'][user], template,
                staff['graders'][i % GRADERS], start.date(),
                points, possible, result, result >= 80, failed,
                'acknowledged' if i % 7 else 'submitted', 0, now))
    copy_rows(conn, 'callcenter_call', ['id', 'server', 'linkedid',
            'state', 'direction', 'agent', 'start_at', 'hangup_at',
            'create_uid', 'create_date'], calls)
    copy_rows(conn, 'callcenter_qa_evaluation', ['id', 'company', 'call',
            'agent', 'team', 'template', 'grader', 'date', 'points',
            'possible', 'score', 'passed', 'auto_failed', 'state',
            'create_uid', 'create_date'], evaluations)
    copy_rows(conn, 'callcenter_qa_evaluation_line', ['id', 'evaluation',
            'template_line', 'name', 'max_score', 'weight', 'auto_fail',
            'na_allowed', 'na', 'score', 'create_uid', 'create_date'], lines)
    for table, last in [('callcenter_call', first_call + count),
            ('callcenter_qa_evaluation', first_eval + count),
            ('callcenter_qa_evaluation_line', line_id)]:
        conn.execute(f"SELECT setval('{table}_id_seq', %s)", (last,))
    conn.commit()
    conn.autocommit = True
    for table in ['callcenter_call', 'callcenter_qa_evaluation',
            'callcenter_qa_evaluation_line']:
        conn.execute(f'VACUUM ANALYZE {table}')
    conn.autocommit = False
    print(f"loaded {count} calls, {count} evaluations and {len(lines)} "
        f"lines in {time.perf_counter() - started:.1f} s", flush=True)


CASES = [
    ('callcenter.qa.report', 'agent'),
    ('callcenter.qa.report', 'team'),
    ('callcenter.qa.report', 'template'),
    ('callcenter.qa.report.item', 'agent'),
    ]


def run(pool, company, queries):
    "Time each report as the current user, rules applied."
    from trytond.transaction import Transaction
    today = dt.date.today()
    context = {'company': company, '_check_access': True,
        'from_date': today - dt.timedelta(days=30), 'to_date': today,
        'period': 'month'}
    times, rows, plans = {}, {}, {}
    for model, group_by in CASES:
        Model = pool.get(model)
        with Transaction().set_context(group_by=group_by, **context):
            columns = list(Model.fields_view_get(
                    view_type='tree')['fields'])

            def show():
                "What sao does for the list: search, then read the page."
                records = Model.search([])
                Model.read([r.id for r in records], columns)
                return records
            show()
            key = f'{model.rsplit(".", 1)[-1]}/{group_by}'
            times[key] = []
            for _ in range(queries):
                start = time.perf_counter()
                rows[key] = len(show())
                times[key].append((time.perf_counter() - start) * 1000)
            plans[key] = explain(Model)
    return times, rows, plans


def explain(Model):
    from trytond.transaction import Transaction
    sql, params = tuple(Model.search([], query=True))
    cursor = Transaction().connection.cursor()
    cursor.execute('EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ' + sql, params)
    return [line for line, in cursor]


def bench(settings, server_uri, args):
    started = time.perf_counter()
    if args.reuse and database.exists(server_uri, DB_NAME):
        config = settings.var / 'qa_report' / 'trytond.conf'
        staff = tryton.call(config, DB_NAME, read_staff)
    else:
        config = fresh_database(settings, server_uri)
        staff = tryton.call(config, DB_NAME, setup_staff)
        print(f"database ready in {time.perf_counter() - started:.1f} s",
            flush=True)
    with database.connect(server_uri, DB_NAME) as conn:
        loaded, = conn.execute(
            'SELECT COUNT(*) FROM callcenter_qa_evaluation').fetchone()
        if loaded < args.scale:
            load(conn, args.scale - loaded, staff)
    results = {}
    for role, user in [('qa', staff['graders'][0]),
            ('leader', staff['leader'])]:
        results[role] = tryton.call(config, DB_NAME, run, staff['company'],
            args.queries, user=user)
    report(args, results)
    return 0


def report(args, results):
    every = []
    for role, (times, rows, plans) in results.items():
        for key, values in times.items():
            every.extend(values)
            print(f"{role:6} {key:22} {rows[key]:4} rows  p50 "
                f"{statistics.median(values):7.2f} ms  p95 "
                f"{percentile(values, 95):7.2f} ms")
    _, _, plans = results['leader']
    print("\nEXPLAIN report/agent as a team leader:")
    for line in plans['report/agent']:
        print('   ', line)
    p95 = round(percentile(every, 95), 2)
    print(f"\nall reports p95 {p95} ms (target <= {TARGET_MS} ms)")
    print(json.dumps({'bench': 'qa_report', 'evaluations': args.scale,
                'report_p95_ms': p95}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=int, default=100_000)
    parser.add_argument('--queries', type=int, default=30)
    parser.add_argument('--reuse', action='store_true',
        help="time again on the database of a previous run (its schema "
        "as that run left it), loading what is missing")
    args = parser.parse_args(argv)
    with bench_server(DB_NAME) as (settings, server_uri):
        return bench(settings, server_uri, args)


if __name__ == '__main__':
    sys.exit(main())
