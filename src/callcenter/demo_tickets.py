"""Demo ticket types and tickets, loaded with the rest of the demo data.

Six ticket types an admin would configure (English names, Chinese
translations, SLA lines for every priority) and 30 tickets spread over the
agents, the states and the last two months, so that lists, statistics and
the SLA flags have something to show. Deterministic like ``demo.py``.
"""
import datetime as dt
import random

from trytond.transaction import Transaction

# name, zh_CN name, code, response and resolution hours at normal priority
TYPES = (
    ("Consult", "咨询", 'CON', 4, 16),
    ("Complaint", "投诉", 'CMP', 1, 8),
    ("Suggestion", "建议", 'SUG', 8, 40),
    ("Pre-sale", "售前", 'PRE', 2, 16),
    ("After-sale", "售后", 'AFT', 2, 24),
    ("Internal", "内部", 'INT', 8, 40),
    )
PRIORITY_FACTORS = {'urgent': 0.25, 'high': 0.5, 'normal': 1, 'low': 2}
SUBJECTS = (
    "无法登录会员账户 Cannot log in",
    "订单迟迟未发货 Order not shipped",
    "发票抬头错误 Wrong invoice title",
    "咨询退货流程 How to return an item",
    "客服态度差 Rude service",
    "建议增加夜间服务 Evening service hours",
    "产品报价 Price quotation",
    "安装预约 Installation appointment",
    "配件缺失 Missing part",
    "系统维护通知 System maintenance",
    )
# the workflow steps that lead to each state
PATHS = {
    'draft': [],
    'open': ['submit'],
    'in_progress': ['submit', 'accept'],
    'waiting': ['submit', 'accept', 'wait'],
    'resolved': ['submit', 'accept', 'resolve'],
    'closed': ['submit', 'accept', 'resolve', 'close'],
    'cancelled': ['submit', 'cancel'],
    }
STATES = ('draft', 'open', 'in_progress', 'in_progress', 'waiting',
    'resolved', 'resolved', 'closed', 'closed', 'cancelled')
AGENTS = ('agent1', 'agent2', 'agent3')
COUNT = 30


def load(pool, company, rng=None):
    "Create the demo ticket types and tickets of company."
    rng = rng or random.Random(20261124)
    with Transaction().set_context(company=company.id):
        types = create_types(pool, company)
        create_tickets(pool, company, types, rng)


def create_types(pool, company):
    Type = pool.get('callcenter.ticket.type')
    types = Type.create([{
                'name': name, 'code': code, 'company': company.id,
                'sequence': 10 * (i + 1),
                'slas': [('create', sla_lines(response, resolution))],
                } for i, (name, _, code, response, resolution)
            in enumerate(TYPES)])
    with Transaction().set_context(language='zh_CN'):
        for type_, (_, zh_name, *_) in zip(Type.browse(types), TYPES):
            Type.write([type_], {'name': zh_name})
    return types


def sla_lines(response, resolution):
    return [{
            'priority': priority,
            'response_hours': response * factor,
            'resolution_hours': resolution * factor,
            } for priority, factor in PRIORITY_FACTORS.items()]


def create_tickets(pool, company, types, rng):
    User = pool.get('res.user')
    Team = pool.get('callcenter.team')
    Party = pool.get('party.party')
    team, = Team.search([('company', '=', company.id)], limit=1)
    agents = User.search([('login', 'in', AGENTS)], order=[('login', 'ASC')])
    customers = Party.search(
        [('id', '!=', company.party.id)], order=[('id', 'ASC')])
    now = dt.datetime.now().replace(microsecond=0)
    for index in range(COUNT):
        agent = agents[index % len(agents)]
        with Transaction().set_user(agent.id), \
                Transaction().set_context(company=company.id):
            ticket = create_ticket(pool, index, rng, types, team,
                agent, customers)
            run_path(pool, ticket, STATES[index % len(STATES)])
        backdate(pool, ticket, now - dt.timedelta(
                days=rng.randrange(60), hours=rng.randrange(8)), rng)


def create_ticket(pool, index, rng, types, team, agent, customers):
    Ticket = pool.get('callcenter.ticket')
    ticket, = Ticket.create([{
                'company': team.company.id,
                'type': types[index % len(types)].id,
                'party': customers[rng.randrange(len(customers))].id,
                'subject': SUBJECTS[index % len(SUBJECTS)],
                'description': "客户来电反映的问题。The customer called "
                "about this.",
                'priority': rng.choice(list(PRIORITY_FACTORS)),
                'channel': rng.choice(['phone', 'phone', 'email', 'web']),
                'assignee': agent.id,
                'team': team.id,
                }])
    return ticket


def run_path(pool, ticket, state):
    Ticket = pool.get('callcenter.ticket')
    for step in PATHS[state]:
        getattr(Ticket, step)([ticket])


def backdate(pool, ticket, opened_at, rng):
    """Move the SLA moments of ticket back to opened_at.

    The workflow ran just now; the demo wants tickets of the last weeks,
    some answered late, so the moments and due dates are rewritten at once.
    """
    Ticket = pool.get('callcenter.ticket')
    if not ticket.opened_at:
        return
    ticket.opened_at = opened_at
    values = {'opened_at': opened_at, **ticket._get_due_dates()}
    if ticket.responded_at:
        values['responded_at'] = opened_at + dt.timedelta(
            hours=rng.choice([0.25, 0.5, 1, 3, 6]))
    if ticket.resolved_at:
        values['resolved_at'] = opened_at + dt.timedelta(
            hours=rng.choice([2, 6, 20, 50, 90]))
    if ticket.waiting_since:
        values['waiting_since'] = opened_at + dt.timedelta(hours=1)
    Ticket.write([ticket], values)
