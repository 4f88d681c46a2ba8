"""Demo questionnaires: two published surveys, a campaign using one, and a
few hundred responses the agents gave over the last three weeks.

Called by :mod:`callcenter.demo` once the company, staff and customers
exist.
"""
import datetime as dt
import random
from collections import defaultdict

from trytond.transaction import Transaction

AGENTS = ('agent1', 'agent2', 'agent3')
DAYS = 21
RESPONSES = 300

# name, description, questions: (text, type, required, options, weights)
QUESTIONNAIRES = [
    ("客户满意度回访 Satisfaction follow-up",
        "您好，这里是客服中心，想占用您一分钟了解上次服务的体验。",
        [
            ("您对上次服务的整体评价？", 'rating', True, [],
                [2, 4, 12, 38, 44]),
            ("问题是否一次解决？", 'single', True,
                ["是，一次解决", "联系了两次", "三次以上", "尚未解决"],
                [62, 22, 9, 7]),
            ("您更喜欢哪些联系方式？", 'multiple', False,
                ["电话", "微信", "短信", "邮件", "App 在线客服"],
                [55, 48, 12, 9, 30]),
            ("还有什么建议？", 'text', False, [], []),
            ]),
    ("宽带续约意向 Broadband renewal",
        "您好，您的宽带套餐即将到期，耽误您一点时间了解续约意向。",
        [
            ("是否有意续约？", 'single', True,
                ["续约原套餐", "升级套餐", "考虑中", "不续约"],
                [41, 23, 24, 12]),
            ("您最看重的是？", 'multiple', True,
                ["价格", "网速", "稳定性", "售后服务", "赠送权益"],
                [60, 45, 50, 20, 25]),
            ("对当前网速打分", 'rating', True, [],
                [5, 9, 26, 35, 25]),
            ]),
    ]
SUGGESTIONS = ["希望晚上也能打通客服电话", "上门维修很及时，谢谢",
    "短信通知太多了", "希望微信上能直接查进度", "", "", ""]


def load(pool, company, rng=None):
    "Create the demo questionnaires, a campaign and the responses."
    rng = rng or random.Random(20261205)
    with Transaction().set_context(company=company.id):
        questionnaires = create_questionnaires(pool, company)
        create_campaign(pool, company, questionnaires[0])
        create_responses(pool, company, questionnaires, rng)


def create_questionnaires(pool, company):
    Questionnaire = pool.get('callcenter.questionnaire')
    questionnaires = Questionnaire.create([{
                'name': name, 'company': company.id,
                'description': description,
                'questions': [('create', [{
                                'sequence': i, 'text': text, 'type': type_,
                                'required': required,
                                'options': [('create', [{
                                                'sequence': j, 'name': o}
                                            for j, o in enumerate(options)])],
                                } for i, (text, type_, required, options, _)
                            in enumerate(questions)])],
                } for name, description, questions in QUESTIONNAIRES])
    Questionnaire.publish(questionnaires)
    return questionnaires


def create_campaign(pool, company, questionnaire):
    Campaign = pool.get('callcenter.campaign')
    Campaign.create([{
                'name': "客户满意度回访 Satisfaction follow-up",
                'company': company.id, 'dial_mode': 'preview',
                'questionnaire': questionnaire.id}])


def create_responses(pool, company, questionnaires, rng):
    "Submitted responses spread over DAYS days, written in bulk."
    User = pool.get('res.user')
    Response = pool.get('callcenter.questionnaire.response')
    agents = User.search([('login', 'in', AGENTS)], order=[('login', 'ASC')])
    if not agents:
        return
    designs = [(q, QUESTIONNAIRES[i][2]) for i, q in enumerate(questionnaires)]
    now = dt.datetime.now().replace(microsecond=0)
    values, moments = [], []
    for index in range(RESPONSES):
        questionnaire, questions = designs[0 if index % 3 else 1]
        values.append({
                'questionnaire': questionnaire.id, 'company': company.id,
                'user': agents[index % len(agents)].id,
                'answers': [('create', [
                            answer(rng, question, spec)
                            for question, spec in zip(
                                questionnaire.questions, questions)])],
                })
        moments.append(now - dt.timedelta(days=rng.uniform(0, DAYS)))
    responses = Response.create(values)
    by_day = defaultdict(list)
    for response, moment in zip(responses, moments):
        by_day[moment.replace(minute=0, second=0)].append(response)
    for moment, group in by_day.items():
        Response.write(group, {'state': 'submitted', 'submitted_at': moment})


def answer(rng, question, spec):
    "A believable answer to ``question`` drawn from the spec's weights."
    _, type_, _, options, weights = spec
    values = {'question': question.id}
    if type_ == 'rating':
        values['rating'] = str(rng.choices(range(1, 6), weights)[0])
    elif type_ == 'single':
        values['option'] = rng.choices(question.options, weights)[0].id
    elif type_ == 'multiple':
        picked = [o.id for o, w in zip(question.options, weights)
            if rng.random() < w / 100]
        values['options'] = [('add', picked or [question.options[0].id])]
    else:
        values['text'] = rng.choice(SUGGESTIONS) or None
    return values
