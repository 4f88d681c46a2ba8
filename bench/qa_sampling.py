"""Benchmark of QA list sampling (issue 11, QA-02).

    nice .venv/bin/python bench/qa_sampling.py [--scale N] [--reuse]

Creates a fresh database ``qa_sampling_bench`` with every module active,
as ``./callcenter setup`` builds it, on the embedded PostgreSQL of
``var/bench`` (or on CALLCENTER_DB_URI): a company, 200 agents in 10
teams, a QA user and an active template through Tryton, then N calls
(default 1,000,000) over 90 days by COPY: answered or not, inbound or
outbound, talk 5 s to 15 min, survey answers, a pool of callers that call
again. Two agents get only a few calls. A per-agent list (10 per agent,
inbound, talk 20 s to 10 min, satisfaction 1|2|3, risk weights on) is
generated the way the queue worker does it (its ``ir.queue`` task run in a
process of its own, as the QA user), timed, with that process's peak
memory. Prints readable lines, then one JSON line: ``bench, calls,
generate_s, peak_rss_mb, spread`` (the spread of the per-agent counts
over agents with at least 10 eligible calls: 0 is fair).
"""
import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, tryton  # noqa: E402
from callcenter.benchmark import bench_server, copy_rows  # noqa: E402
from callcenter.settings import MODULES  # noqa: E402

DB_NAME = 'qa_sampling_bench'
FOLDER = 'qa_sampling'
SEED = 20261205
AGENTS, TEAMS, DAYS, PER_AGENT = 200, 10, 90, 10
FEW = 2     # agents with fewer eligible calls than the count
TARGET_S, TARGET_MB = 10.0, 300.0
SURVEYS = [(None, None)] * 5 + [('very_satisfied', 1), ('satisfied', 2),
    ('satisfied', 2), ('unsatisfied', 3), ('no_answer', None)]


def setup_staff(pool):
    "Company, agents in teams, a QA user and a template, through Tryton."
    from decimal import Decimal
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

    def group(name):
        return ModelData.get_id('callcenter_base', name)
    users = User.create([{
                'login': f'agent{i}', 'name': f"Agent {i}",
                'groups': [('add', [group('group_agent')])],
                'companies': [('add', [company.id])], 'company': company.id,
                } for i in range(AGENTS)])
    qa, = User.create([{'login': 'qa', 'name': "QA",
                'groups': [('add', [group('group_qa')])],
                'companies': [('add', [company.id])], 'company': company.id}])
    Team.create([{'name': f"Team {t}", 'company': company.id,
                'members': [('add', [u.id for u in users[t::TEAMS]])],
                } for t in range(TEAMS)])
    server, = Server.create([{'name': "PBX", 'username': 'bridge'}])
    agents = Agent.create([{'user': u.id, 'server': server.id,
                'extension': str(2000 + i), 'interface': f'PJSIP/{2000 + i}'}
            for i, u in enumerate(users)])
    template, = Template.create([{'name': "Service QA",
                'company': company.id, 'passing_score': Decimal(80),
                'lines': [('create', [{'name': "Greeting",
                                'max_score': Decimal(10)}])]}])
    Template.activate([template])
    return {'company': company.id, 'server': server.id, 'qa': qa.id,
        'template': template.id, 'agents': [a.id for a in agents]}


def load(conn, count, staff):
    "COPY the calls, then analyze."
    rng = random.Random(SEED)
    agents = staff['agents']
    now = dt.datetime.now().replace(microsecond=0)
    callers = max(count // 4, 1)
    started = time.perf_counter()

    def calls():
        for i in range(count):
            # the first FEW agents take a handful of calls only
            agent = agents[FEW + i % (len(agents) - FEW)] if i >= 5 * FEW \
                else agents[i % FEW]
            start = now - dt.timedelta(seconds=rng.randrange(DAYS * 86400))
            direction = 'inbound' if rng.random() < 0.8 else 'outbound'
            answered = rng.random() < 0.9
            talk = dt.timedelta(seconds=int(rng.expovariate(1 / 180)) + 5)
            survey, key = rng.choice(SURVEYS) if answered else (None, None)
            yield (staff['server'], f'{1700000000 + i}.{i}', 'ended',
                direction, f'+8613{rng.randrange(callers):09d}',
                agent if answered else None, start,
                start if answered else None, start + talk,
                talk if answered else None,
                'answered' if answered else 'abandoned', survey, key,
                0, now)
    copy_rows(conn, 'callcenter_call', ['server', 'linkedid', 'state',
            'direction', 'caller', 'agent', 'start_at', 'answer_at',
            'hangup_at', 'talk_duration', 'disposition', 'survey',
            'satisfaction', 'create_uid', 'create_date'], calls())
    conn.commit()
    conn.autocommit = True
    conn.execute('VACUUM ANALYZE callcenter_call')
    conn.autocommit = False
    print(f"loaded {count} calls in {time.perf_counter() - started:.1f} s",
        flush=True)


def create_list(pool, staff):
    "The per-agent list, queued for the worker as the Generate button does."
    from trytond.transaction import Transaction
    QaList = pool.get('callcenter.qa.list')
    with Transaction().set_context(company=staff['company']):
        qa_list, = QaList.create([{
                    'name': "Bench list", 'company': staff['company'],
                    'template': staff['template'], 'rule': 'per_agent',
                    'count': PER_AGENT, 'direction': 'inbound',
                    'talk_min': dt.timedelta(seconds=20),
                    'talk_max': dt.timedelta(minutes=10),
                    'satisfaction': '1|2|3', 'risk_weighting': True,
                    }])
        QaList.generate([qa_list])
    return qa_list.id


def run_task(pool):
    "Run the queued generation like trytond's worker does."
    Queue = pool.get('ir.queue')
    task, = Queue.search([('name', '=', 'default')], limit=1,
        order=[('id', 'DESC')])
    task.run()


def worker(config):
    "The worker's process: the task timed, peak memory measured."
    pool = tryton.init_pool(Path(config), DB_NAME)
    started = time.perf_counter()
    tryton.run(pool, DB_NAME, run_task)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'generate_s': round(elapsed, 2),
                'peak_rss_mb': round(peak, 1)}))


def check(pool, list_id):
    "State, sample count, reasons and the per-agent spread."
    from trytond.modules.callcenter_qa import qa_sampling
    from trytond.transaction import Transaction
    QaList = pool.get('callcenter.qa.list')
    qa_list = QaList(list_id)
    cursor = Transaction().connection.cursor()
    sample = pool.get('callcenter.qa.sample').__table__()
    from sql.aggregate import Count
    cursor.execute(*sample.select(sample.agent, Count(sample.id),
            where=sample.list == list_id, group_by=[sample.agent]))
    picked = dict(cursor)
    QaList.write([qa_list], {'state': 'closed'})    # not "elsewhere"
    cursor.execute(*qa_sampling.eligible_counts(qa_list,
            qa_list.get_agents()))
    eligible = dict(cursor)
    full = [picked.get(a, 0) for a, n in eligible.items() if n >= PER_AGENT]
    short_ok = all(picked.get(a, 0) == n for a, n in eligible.items()
        if n < PER_AGENT)
    cursor.execute(*sample.select(Count(sample.id),
            where=(sample.list == list_id) & (sample.reasons != None)))
    with_reasons, = cursor.fetchone()
    QaList.write([qa_list], {'state': 'generated'})
    return {'state': qa_list.state, 'samples': sum(picked.values()),
        'agents': len(eligible), 'full_agents': len(full),
        'spread': (max(full) - min(full)) if full else 0,
        'short_ok': short_ok, 'with_reasons': with_reasons}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=int, default=1_000_000)
    parser.add_argument('--reuse', action='store_true',
        help="keep the calls of the last run (same scale)")
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    with bench_server(DB_NAME) as (settings, server_uri):
        config = settings.var / FOLDER / 'trytond.conf'
        if not (args.reuse and database.exists(server_uri, DB_NAME)):
            started = time.perf_counter()
            database.drop(server_uri, DB_NAME)
            database.create(server_uri, DB_NAME)
            database.create_extensions(server_uri, DB_NAME)
            config = tryton.write_config(settings, server_uri, config)
            tryton.admin(config, DB_NAME, '--update', *MODULES,
                '--activate-dependencies', '--email', 'a@b.c', password='x')
            staff = tryton.call(config, DB_NAME, setup_staff)
            print(f"database with every module ready in "
                f"{time.perf_counter() - started:.1f} s", flush=True)
            with database.connect(server_uri, DB_NAME) as conn:
                load(conn, args.scale, staff)
            (settings.var / FOLDER / 'staff.json').write_text(
                json.dumps(staff))
        else:
            tryton.admin(config, DB_NAME, '-u', 'callcenter_qa')
            staff = json.loads(
                (settings.var / FOLDER / 'staff.json').read_text())
        list_id = tryton.call(config, DB_NAME, create_list, staff,
            user=staff['qa'])
        out = subprocess.run([sys.executable, __file__, '--worker',
                str(config)], check=True, capture_output=True, text=True)
        measured = json.loads(out.stdout.strip().splitlines()[-1])
        result = tryton.call(config, DB_NAME, check, list_id)
    print(f"generated a per-agent list ({PER_AGENT} per agent, "
        f"{result['agents']} agents) over {args.scale} calls in "
        f"{measured['generate_s']} s (target {TARGET_S} s), worker peak "
        f"{measured['peak_rss_mb']} MB (target {TARGET_MB} MB)")
    print(f"{result['samples']} samples, {result['with_reasons']} with a "
        f"risk reason; spread over the {result['full_agents']} agents with "
        f">= {PER_AGENT} eligible calls: {result['spread']}; agents with "
        f"fewer got all theirs: {result['short_ok']}; list "
        f"{result['state']}")
    print(json.dumps({'bench': 'qa_sampling', 'calls': args.scale,
                'generate_s': measured['generate_s'],
                'peak_rss_mb': measured['peak_rss_mb'],
                'spread': result['spread']}))


if __name__ == '__main__':
    main()
