"""Benchmark of the ticket lists an agent opens (issue 4, TKT).

    .venv/bin/python bench/ticket_search.py [--scale N] [--queries N]
        [--reuse]

Creates a fresh database ``ticket_bench`` with ``callcenter_ticket``
activated on the embedded PostgreSQL of ``var/bench`` (or on
CALLCENTER_DB_URI): a company, 50 agents in 5 teams and ticket types
through Tryton, then N tickets (default 1,000,000) over N/10 customers by
COPY, 40% of them in open states. Then, as an agent, through
``callcenter.ticket`` with the record rules applied, it times what the
web client does to show the default ticket list (the *Open* tab, first
page at the action's page size, newest first: ``search`` then ``read`` of
the list's columns), the same with sao's default page of 1000, and one
customer's ticket history (every ticket of a customer the agent may
read). Prints readable lines, the plans and, last, one JSON line.
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

DB_NAME = 'ticket_bench'
SEED = 20261124
AGENTS, TEAMS = 50, 5
SAO_PAGE = 1000  # sao's page when an action sets none
OPEN_STATES = ['draft', 'open', 'in_progress', 'waiting']
CLOSED_STATES = ['resolved', 'closed', 'closed', 'cancelled']
TARGET_MS = 100


def setup_staff(pool):
    "Company, agents in teams and two ticket types, through Tryton."
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    User = pool.get('res.user')
    Team = pool.get('callcenter.team')
    Type = pool.get('callcenter.ticket.type')
    ModelData = pool.get('ir.model.data')
    cny, = Currency.create([{'name': "Yuan", 'code': 'CNY', 'symbol': '¥'}])
    party, = Party.create([{'name': "Bench Center"}])
    company, = Company.create([{'party': party.id, 'currency': cny.id}])
    agent_group = ModelData.get_id('callcenter_base', 'group_agent')
    users = User.create([{
                'login': f'agent{i}', 'name': f"Agent {i}",
                'groups': [('add', [agent_group])],
                'companies': [('add', [company.id])], 'company': company.id,
                } for i in range(AGENTS)])
    teams = Team.create([{
                'name': f"Team {t}", 'company': company.id,
                'members': [('add', [u.id for u in users[t::TEAMS]])],
                } for t in range(TEAMS)])
    types = Type.create([{'name': n, 'company': company.id}
            for n in ["Consult", "Complaint"]])
    return (company.id, [u.id for u in users], [t.id for t in teams],
        [t.id for t in types])


def load(conn, count, staff):
    "COPY the customers and the tickets, then analyze."
    company, users, teams, types = staff
    rng = random.Random(SEED)
    now = dt.datetime.now()
    started = time.perf_counter()
    customers = max(1, count // 10)
    first_party = conn.execute(
        'SELECT COALESCE(MAX(id), 0) + 1 FROM party_party').fetchone()[0]
    copy_rows(conn, 'party_party', ['id', 'name', 'code', 'active',
            'create_uid', 'create_date'],
        ((first_party + i, f'Customer {i}', f'B{i:07d}', True, 0, now)
            for i in range(customers)))
    conn.execute("SELECT setval('party_party_id_seq', %s)",
        (first_party + customers,))

    def tickets():
        for i in range(count):
            agent = i % len(users)
            state = rng.choice(OPEN_STATES if rng.random() < 0.4
                else CLOSED_STATES)
            opened = now - dt.timedelta(minutes=count - i)
            assignee = None if state == 'open' and i % 3 == 0 \
                else users[agent]
            yield (f'B{i:07d}', company, types[i % 2],
                first_party + rng.randrange(customers), 'normal',
                f'Bench ticket {i}', state, assignee,
                teams[agent % len(teams)], 'phone', opened, False, False,
                0, 0, users[agent], opened)
    copy_rows(conn, 'callcenter_ticket', ['number', 'company', 'type',
            'party', 'priority', 'subject', 'state', 'assignee', 'team',
            'channel', 'opened_at', 'overdue', 'escalated', 'paused_hours',
            'extended_hours', 'create_uid', 'create_date'], tickets())
    conn.commit()
    conn.autocommit = True
    for table in ['party_party', 'callcenter_ticket']:
        conn.execute(f'VACUUM ANALYZE {table}')
    conn.autocommit = False
    print(f"loaded {customers} customers and {count} tickets in "
        f"{time.perf_counter() - started:.1f} s", flush=True)
    return first_party, customers


def run(pool, company, queries, parties):
    "Time both lists as the agent, rules applied; return times and plans."
    from trytond.transaction import Transaction
    Ticket = pool.get('callcenter.ticket')
    page_size = list_page(pool)
    columns = list(Ticket.fields_view_get(view_type='tree')['fields'])
    open_tab = [('state', 'in', OPEN_STATES)]

    def open_list(limit):
        "What the web client does: search the page, read its columns."
        page = Ticket.search(open_tab, limit=limit)
        Ticket.read([t.id for t in page], columns)
        return page

    with Transaction().set_context(company=company, _check_access=True):
        for _ in range(20):
            open_list(page_size)
        lists, big_lists, histories, sizes = [], [], [], []
        for n in range(queries):
            start = time.perf_counter()
            page = open_list(page_size)
            lists.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            open_list(SAO_PAGE)
            big_lists.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            history = Ticket.search([('party', '=', parties[n])])
            Ticket.read([t.id for t in history], columns)
            histories.append((time.perf_counter() - start) * 1000)
            sizes.append(len(history))
        plans = {
            'list': explain(Ticket, open_tab, page_size),
            'history': explain(Ticket, [('party', '=', parties[0])], None),
            }
    return lists, big_lists, histories, len(page), sizes, plans


def list_page(pool):
    "The page size of the Tickets action, as the web client uses it."
    ModelData = pool.get('ir.model.data')
    Action = pool.get('ir.action.act_window')
    action = Action(ModelData.get_id('callcenter_ticket', 'act_ticket_form'))
    return action.limit or SAO_PAGE


def explain(Ticket, domain, limit):
    from trytond.transaction import Transaction
    query = Ticket.search(domain, limit=limit, query=True)
    sql, params = tuple(query)
    cursor = Transaction().connection.cursor()
    cursor.execute('EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ' + sql, params)
    return [line for line, in cursor]



def create(settings, server_uri, args):
    started = time.perf_counter()
    config = fresh_database(
        settings, server_uri, DB_NAME, 'callcenter_ticket', 'ticket_search')
    staff = tryton.call(config, DB_NAME, setup_staff)
    print(f"database ready in {time.perf_counter() - started:.1f} s",
        flush=True)
    with database.connect(server_uri, DB_NAME) as conn:
        first_party, customers = load(conn, args.scale, staff)
    return config, staff, first_party, customers


def reused(settings, server_uri):
    "The state a previous run loaded, its module updated to this code."
    config = settings.var / 'ticket_search' / 'trytond.conf'
    tryton.admin(config, DB_NAME, '-u', 'callcenter_ticket')
    with database.connect(server_uri, DB_NAME) as conn:
        company, = conn.execute(
            'SELECT MIN(id) FROM company_company').fetchone()
        users = [u for u, in conn.execute(
                "SELECT id FROM res_user WHERE login LIKE 'agent%%' "
                "ORDER BY id")]
        first_party, customers = conn.execute(
            "SELECT MIN(id), COUNT(*) FROM party_party "
            "WHERE code LIKE 'B%%'").fetchone()
        count, = conn.execute(
            'SELECT COUNT(*) FROM callcenter_ticket').fetchone()
    return config, (company, users, None, None), first_party, customers, count


def bench(settings, server_uri, args):
    if args.reuse and database.exists(server_uri, DB_NAME):
        config, staff, first_party, customers, args.scale = reused(
            settings, server_uri)
    else:
        config, staff, first_party, customers = create(
            settings, server_uri, args)
    company, users = staff[0], staff[1]
    rng = random.Random(SEED + 1)
    parties = [first_party + rng.randrange(customers)
        for _ in range(args.queries)]
    results = tryton.call(
        config, DB_NAME, run, company, args.queries, parties, user=users[0])
    report(args, *results)
    return 0


def report(args, lists, big_lists, histories, page, sizes, plans):
    for name, lines in plans.items():
        print(f"\nEXPLAIN {name}:")
        for line in lines:
            print('   ', line)
    result = {
        'bench': 'ticket_search',
        'tickets': args.scale,
        'queries': len(lists),
        'list_p50_ms': round(statistics.median(lists), 2),
        'list_p95_ms': round(percentile(lists, 95), 2),
        'list_rows': page,
        'list_1000_p95_ms': round(percentile(big_lists, 95), 2),
        'history_p50_ms': round(statistics.median(histories), 2),
        'history_p95_ms': round(percentile(histories, 95), 2),
        }
    result['p95_ms'] = max(result['list_p95_ms'], result['history_p95_ms'])
    print(f"\nagent's open tickets, first page: {page} rows, p50 "
        f"{result['list_p50_ms']} ms, p95 {result['list_p95_ms']} ms")
    print(f"same list with sao's default page of {SAO_PAGE}: p95 "
        f"{result['list_1000_p95_ms']} ms")
    print(f"customer history: {statistics.mean(sizes):.1f} tickets visible "
        f"on average, p50 {result['history_p50_ms']} ms, "
        f"p95 {result['history_p95_ms']} ms")
    print(f"p95 {result['p95_ms']} ms (target <= {TARGET_MS} ms)")
    print(json.dumps(result))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=int, default=1_000_000)
    parser.add_argument('--queries', type=int, default=200)
    parser.add_argument('--reuse', action='store_true',
        help="time again on the database loaded by a previous run")
    args = parser.parse_args(argv)
    with bench_server(DB_NAME) as (settings, server_uri):
        return bench(settings, server_uri, args)


if __name__ == '__main__':
    sys.exit(main())
