"""Demo outbound campaign: dispositions, holidays, a do-not-call list, a
customer task of 300 leads and a running campaign with two weeks of
attempts and results.

Called by :mod:`callcenter.demo` once the company, staff and queue exist.
Everything is created with list ``create`` calls (about 3 s).
"""
import datetime as dt
import random

# code, English name, Chinese name, action, follow-up state, conversion
DISPOSITIONS = [
    ('sale', "Sale", "成交", 'final', 'converted', True),
    ('interested', "Interested", "有意向", 'recycle', 'interested', False),
    ('callback', "Call back", "预约回拨", 'callback', 'callback', False),
    ('not_interested', "Not interested", "无意向", 'final',
        'not_interested', False),
    ('wrong_number', "Wrong number", "号码错误", 'final', 'invalid', False),
    ('do_not_call', "Do not call", "拒绝再拨", 'do_not_call',
        'do_not_call', False),
    ]
HOLIDAYS = [(dt.date(2027, 1, 1), "元旦 New Year's Day"),
    (dt.date(2027, 2, 6), "春节 Spring Festival"),
    (dt.date(2027, 2, 7), "春节 Spring Festival"),
    (dt.date(2027, 2, 8), "春节 Spring Festival")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
PREFIXES = ['138', '139', '136', '135', '158', '186', '188', '150']
OUTCOMES = ['live'] * 30 + ['machine'] * 14 + ['busy'] * 8 + [
    'no_answer'] * 44 + ['invalid'] * 2 + ['abandoned'] * 2
LEADS = 300
DAYS = 14


def load(pool, company, rng=None):
    "Create the demo campaign data of company."
    from trytond.transaction import Transaction
    rng = rng or random.Random(20261205)
    with Transaction().set_context(company=company.id):
        dispositions = create_dispositions(pool, company)
        create_settings(pool, company)
        agents = _users(pool, ['agent1', 'agent2', 'agent3'])
        task = create_task(pool, company, agents, rng)
        campaign = create_campaign(pool, company, task)
        create_attempts(pool, company, campaign, task, agents,
            dispositions, rng)


def create_dispositions(pool, company):
    Disposition = pool.get('callcenter.campaign.disposition')
    from trytond.transaction import Transaction
    records = Disposition.create([{
                'code': code, 'name': name, 'action': action,
                'follow_up_state': state, 'conversion': conversion,
                'company': company.id, 'sequence': 10 * (i + 1),
                'recycle_delay': dt.timedelta(days=2),
                } for i, (code, name, _, action, state, conversion)
            in enumerate(DISPOSITIONS)])
    with Transaction().set_context(language='zh_CN'):
        for record, row in zip(Disposition.browse(records), DISPOSITIONS):
            Disposition.write([record], {'name': row[2]})
    return {r.code: r for r in records}


def create_settings(pool, company):
    Holiday = pool.get('callcenter.campaign.holiday')
    DoNotCall = pool.get('callcenter.campaign.dnc')
    Configuration = pool.get('callcenter.configuration')
    Holiday.create([{'date': d, 'name': n, 'company': company.id}
            for d, n in HOLIDAYS])
    DoNotCall.create([
            {'number': '+86170', 'prefix': True, 'company': company.id,
                'reason': "虚拟运营商号段 Virtual operator range"},
            {'number': '+86171', 'prefix': True, 'company': company.id,
                'reason': "虚拟运营商号段 Virtual operator range"},
            {'number': '+8613800000000', 'company': company.id,
                'reason': "客户要求 Customer asked"},
            ])
    Configuration.write([Configuration(1)], {'lead_pool_limit': 50})


def _users(pool, logins):
    User = pool.get('res.user')
    users = {u.login: u for u in User.search([('login', 'in', logins)])}
    return [users[login] for login in logins if login in users]


def create_task(pool, company, agents, rng):
    Task = pool.get('callcenter.campaign.task')
    Lead = pool.get('callcenter.campaign.lead')
    task, = Task.create([{'name': "宽带续约 Broadband renewal",
                'company': company.id, 'state': 'open'}])
    values = []
    for i in range(LEADS):
        number = f'+86{rng.choice(PREFIXES)}{rng.randrange(10 ** 8):08d}'
        owner = agents[i % len(agents)].id if agents and i < 120 else None
        values.append({
                'task': task.id, 'company': company.id,
                'name': rng.choice(SURNAMES) + ''.join(
                    rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                'owner': owner, 'timezone': 'Asia/Shanghai',
                'numbers': [('create', [{'number': number}])],
                })
    Lead.create(values)
    return task


def create_campaign(pool, company, task):
    Campaign = pool.get('callcenter.campaign')
    Queue = pool.get('callcenter.queue')
    queues = Queue.search([], limit=1)
    campaign, = Campaign.create([{
                'name': "宽带续约外呼 Broadband renewal calls",
                'company': company.id, 'task': task.id,
                'dial_mode': 'predictive', 'pacing_ratio': 2,
                'connect_handling': 'queue',
                'queue': queues[0].id if queues else None,
                'trunk': 'PJSIP/trunk-cn', 'caller_id': '+861058880000',
                'start_date': dt.date.today() - dt.timedelta(days=DAYS),
                'script': "您好，我是天天宽带的客服，您的宽带套餐即将到期，"
                "现在续约可享受八折优惠……",
                }])
    Campaign.start([campaign])
    return campaign


def create_attempts(pool, company, campaign, task, agents, dispositions,
        rng):
    "Two weeks of attempts, 0 to 3 a lead, and the leads' state after them."
    Attempt = pool.get('callcenter.campaign.attempt')
    Lead = pool.get('callcenter.campaign.lead')
    today = dt.datetime.combine(dt.date.today(), dt.time())
    attempts, lead_values = [], []
    for lead in task.leads:
        count = rng.choice([0, 0, 1, 1, 2, 3])
        last = None
        for k in range(count):
            started = today - dt.timedelta(days=rng.randrange(1, DAYS + 1),
                hours=-rng.choice([1, 2, 3, 6, 7, 8, 9, 10, 11]),
                minutes=-rng.randrange(60))
            outcome = rng.choice(OUTCOMES)
            values = _attempt(company, campaign, lead, started, outcome,
                agents, dispositions, rng)
            attempts.append(values)
            last = values
        if last:
            lead_values.append((lead, count, last))
    Attempt.create(attempts)
    _update_leads(Lead, lead_values, dispositions)


def _attempt(company, campaign, lead, started, outcome, agents,
        dispositions, rng):
    live = outcome == 'live' and agents
    talk = dt.timedelta(seconds=int(rng.expovariate(1 / 150)) + 20)
    disposition = (rng.choice(['sale', 'interested', 'callback',
                'not_interested', 'not_interested', 'wrong_number',
                'do_not_call']) if live else None)
    return {
        'company': company.id, 'campaign': campaign.id, 'lead': lead.id,
        'number': lead.numbers[0].id, 'started_at': started,
        'ended_at': started + (talk if live else dt.timedelta(seconds=25)),
        'outcome': outcome, 'pass_number': 1,
        'agent': rng.choice(agents).id if live else None,
        'talk_duration': talk if live else None,
        'disposition': dispositions[disposition].id if disposition else None,
        }


def _update_leads(Lead, lead_values, dispositions):
    "The follow-up state, attempts and recycling the attempts left."
    by_id = {d.id: d for d in dispositions.values()}
    args = []
    for lead, count, last in lead_values:
        disposition = by_id.get(last['disposition'])
        values = {'attempt_count': count,
            'last_attempt_at': last['started_at'],
            'reached': last['outcome'] == 'live',
            'next_attempt_at': last['started_at'] + dt.timedelta(hours=4)}
        if disposition:
            values['disposition'] = disposition.id
            values['follow_up_state'] = disposition.follow_up_state
            if disposition.action in {'final', 'do_not_call'}:
                values['dial_state'] = 'done'
            elif disposition.action == 'callback':
                values['callback_at'] = dt.datetime.combine(
                    dt.date.today(), dt.time(6, 30))
                values['callback_user'] = last['agent']
        elif count:
            values['follow_up_state'] = 'following'
        args.extend([[lead], values])
    if args:
        Lead.write(*args)
