"""Demo quality assurance: two QA forms, four weeks of graded calls.

Called by :mod:`callcenter.demo` once the staff, the team and the PBX
exist. The graded calls are answered inbound calls of the demo agents,
each with a short recording (one WAV stored once: the filestore keeps a
file per content); about 200 of them are graded, a few disputed, and the
newest ones wait in qa1's "My QA" as drafts. Deterministic.
"""
import datetime as dt
import io
import math
import random
import struct
import wave
from decimal import Decimal

# login, name, group (module, xml id); the password is "<login>-demo".
USERS = (
    ('qalead', "陈静 Chen Jing", ('callcenter_qa', 'group_qa_lead')),
    )

# name, max score, weight, auto-fail, N/A allowed
SERVICE_LINES = [
    ("开场问候 Greeting", 10, 1, False, False),
    ("核实身份 Verifies identity", 1, 1, True, False),
    ("理解问题 Understands the problem", 20, 2, False, False),
    ("解决方案 Solves the problem", 30, 3, False, False),
    ("礼貌用语 Courtesy", 10, 1, False, False),
    ("推荐服务 Offers a service", 10, 1, False, True),
    ("结束语 Closing", 5, 1, False, False),
    ]
TELESALES_LINES = [
    ("开场白 Opening", 10, 1, False, False),
    ("需求挖掘 Needs discovery", 20, 2, False, False),
    ("产品介绍 Product pitch", 20, 2, False, False),
    ("合规声明 Compliance disclosure", 1, 1, True, False),
    ("异议处理 Handles objections", 20, 2, False, True),
    ("促成交易 Asks for the order", 10, 1, False, False),
    ]
CALLS = 240
GRADED = 200
DRAFTS = 6
DAYS = 28
NOTES = ["查询订单物流", "申请退货退款", "发票抬头修改", "Router keeps "
    "dropping the connection", "更改收货地址", "Billing question",
    "产品使用咨询", "投诉配送延迟"]


def load(pool, company, rng=None):
    rng = rng or random.Random(20261205)
    create_users(pool, company)
    templates = create_templates(pool, company)
    calls = create_calls(pool, rng)
    evaluations = grade(pool, company, templates, calls, rng)
    create_library(pool, company, evaluations)


def create_users(pool, company):
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    User.create([{
                'login': login, 'name': name, 'password': f'{login}-demo',
                'groups': [('add', [ModelData.get_id(*group)])],
                'companies': [('add', [company.id])],
                'company': company.id}
            for login, name, group in USERS])


def create_templates(pool, company):
    Template = pool.get('callcenter.qa.template')

    def lines(rows):
        return [('create', [{
                        'sequence': i, 'name': name,
                        'max_score': Decimal(max_),
                        'weight': Decimal(weight), 'auto_fail': fail,
                        'na_allowed': na}
                    for i, (name, max_, weight, fail, na)
                    in enumerate(rows)])]
    templates = Template.create([
            {'name': "服务质检 Service QA", 'company': company.id,
                'passing_score': Decimal(80),
                'comment_threshold': Decimal(50),
                'lines': lines(SERVICE_LINES)},
            {'name': "电销质检 Telesales QA", 'company': company.id,
                'passing_score': Decimal(75),
                'comment_threshold': Decimal(50),
                'lines': lines(TELESALES_LINES)},
            ])
    Template.activate(templates)
    return templates


def recording(seconds=20, rate=8000):
    "A WAV of a soft two-tone hum, as 8 kHz mono MixMonitor files are."
    samples = b''.join(struct.pack('<h', int(3000 * (
                    math.sin(2 * math.pi * 330 * i / rate)
                    + math.sin(2 * math.pi * 440 * i / rate)) / 2))
        for i in range(seconds * rate))
    buffer = io.BytesIO()
    with wave.open(buffer, 'wb') as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(rate)
        output.writeframes(samples)
    return buffer.getvalue()


def create_calls(pool, rng):
    "Answered inbound calls of the demo agents over the last four weeks."
    Agent = pool.get('callcenter.agent')
    Call = pool.get('callcenter.call')
    Party = pool.get('party.party')
    agents = Agent.search([], order=[('extension', 'ASC')])
    parties = Party.search([('contact_mechanisms', '!=', None)],
        order=[('id', 'ASC')])
    data = recording()
    today = dt.datetime.combine(dt.date.today(), dt.time(1, 0))
    values = []
    for index in range(CALLS):
        agent = agents[index % len(agents)]
        start = today - dt.timedelta(days=DAYS * (CALLS - index) / CALLS,
            minutes=rng.randrange(0, 480))
        talk = dt.timedelta(seconds=rng.randrange(60, 600))
        party = rng.choice(parties) if parties else None
        values.append({
                'server': agent.server.id, 'linkedid': f'demo-qa.{index}',
                'state': 'ended', 'direction': 'inbound',
                'disposition': 'answered', 'agent': agent.id,
                'handled_by': agent.user.id,
                'caller': party.contact_mechanisms[0].value if party else '',
                'callee': '4000', 'party': party.id if party else None,
                'queue': agent.queues[0].id if agent.queues else None,
                'start_at': start,
                'answer_at': start + dt.timedelta(seconds=12),
                'hangup_at': start + dt.timedelta(seconds=12) + talk,
                'wait_duration': dt.timedelta(seconds=12),
                'talk_duration': talk, 'notes': rng.choice(NOTES),
                'recording': data,
                'recording_name': f'demo-qa-{index}.wav'})
    return Call.create(values)


def grade(pool, company, templates, calls, rng):
    "Grade the newest calls: most submitted, some answered, a few drafts."
    User = pool.get('res.user')
    Evaluation = pool.get('callcenter.qa.evaluation')
    graders = User.search([('login', 'in', ['qa1', 'qalead'])],
        order=[('login', 'ASC')])
    graded = calls[-GRADED:]
    values = []
    for index, call in enumerate(graded):
        template = templates[1] if index % 4 == 3 else templates[0]
        grader = graders[0] if index % 5 else graders[-1]
        values.append(dict(Evaluation.values_for_call(call, template),
                company=company.id, grader=grader.id,
                date=(call.start_at + dt.timedelta(days=1)).date(),
                lines=[('create', lines(template, rng, index))]))
    evaluations = Evaluation.create(values)
    settle(pool, evaluations[:-DRAFTS], rng)
    return Evaluation.browse(evaluations)


def lines(template, rng, index):
    "Scores around 85 %, now and then a missed auto-fail or an N/A line."
    result = []
    for line in template.lines:
        score = line.max_score
        if line.auto_fail:
            score = Decimal(0) if index % 23 == 7 else score
        else:
            score = (line.max_score * Decimal(rng.choice(
                            [1, 1, 0.9, 0.8, 0.7, 0.5, 0.3]))).quantize(
                Decimal('1'))
        na = line.na_allowed and rng.random() < 0.2
        low = not na and score * 2 < line.max_score
        result.append({
                'template_line': line.id, 'sequence': line.sequence,
                'name': line.name, 'max_score': line.max_score,
                'weight': line.weight, 'auto_fail': line.auto_fail,
                'na_allowed': line.na_allowed,
                'comment_threshold': template.comment_threshold,
                'na': na, 'score': None if na else score,
                'comment': "需改进 Needs work" if low else None})
    return result


def settle(pool, evaluations, rng):
    """Submit, then let the agents answer: most acknowledge, a few
    dispute, and the QA lead confirms or rescores the older disputes."""
    Evaluation = pool.get('callcenter.qa.evaluation')
    History = pool.get('callcenter.qa.evaluation.history')
    Coaching = pool.get('callcenter.qa.coaching')
    Evaluation.write(evaluations, {'state': 'submitted'})
    evaluations = Evaluation.browse(evaluations)
    history = []
    for index, evaluation in enumerate(evaluations):
        steps = [('submitted', evaluation.grader.id, None)]
        agent = evaluation.agent.user.id
        if index % 17 == 5:
            steps.append(('disputed', agent, "我按流程核实了身份 "
                    "I did verify the caller's identity."))
            if index < len(evaluations) - 40:
                steps.append((rng.choice(['confirmed', 'rescored']),
                        evaluation.grader.id, None))
        elif index < len(evaluations) - 20:
            steps.append(('acknowledged', agent, None))
        history += [{'evaluation': evaluation.id, 'action': action,
                    'user': user, 'score': evaluation.score,
                    'comment': comment} for action, user, comment in steps]
        evaluation.state = steps[-1][0]
    History.create(history)
    Evaluation.save(evaluations)
    Coaching.open_for([e for e in evaluations if not e.passed])


def create_library(pool, company, evaluations):
    "Two shelves with the best and the worst submitted calls."
    Category = pool.get('callcenter.qa.library.category')
    Entry = pool.get('callcenter.qa.library.entry')
    good, bad = Category.create([
            {'name': "优秀录音 Exemplary calls", 'company': company.id},
            {'name': "警示录音 Cautionary calls", 'company': company.id}])
    ranked = sorted((e for e in evaluations if e.state != 'draft'),
        key=lambda e: (e.score, e.id))
    Entry.create([{
                'name': f"{e.template.name}: {e.call.notes}",
                'company': company.id, 'category': shelf.id, 'kind': kind,
                'call': e.call.id, 'evaluation': e.id,
                'description': description}
            for shelf, kind, description, chosen in [
                (good, 'exemplary', "听开场与解决方案 Listen to the opening "
                    "and the solution.", ranked[-3:]),
                (bad, 'cautionary', "注意身份核实 Mind the identity check.",
                    ranked[:2])]
            for e in chosen])
