"""Demo survey answers and one generated QA list.

Called by :mod:`callcenter.demo` after :mod:`callcenter.demo_qa`: the
answered calls of the demo get their post-call survey answers (about one
caller in three does not answer; 1 very satisfied, 2 satisfied, 3
unsatisfied, as the default key map), then a per-agent QA list of the
last two weeks on the service form, with risk weights, is generated and
half of it assigned to qa1. Deterministic, bulk writes only.
"""
import datetime as dt
import random

# answer, key, weight of the draw
ANSWERS = [
    (None, None, 20), ('no_answer', None, 15),
    ('very_satisfied', 1, 35), ('satisfied', 2, 22), ('unsatisfied', 3, 8),
    ]


def load(pool, company, rng=None):
    rng = rng or random.Random(20261206)
    answer_surveys(pool, rng)
    create_list(pool, company)


def answer_surveys(pool, rng):
    "One write per answer over the answered calls of the demo agents."
    Call = pool.get('callcenter.call')
    calls = Call.search([('disposition', '=', 'answered'),
            ('agent', '!=', None)], order=[('id', 'ASC')])
    by_answer = {}
    weights = [w for _, _, w in ANSWERS]
    for call in calls:
        answer, key, _ = rng.choices(ANSWERS, weights)[0]
        if answer:
            by_answer.setdefault((answer, key), []).append(call)
    to_write = []
    for (answer, key), answered in by_answer.items():
        to_write.extend([answered, {'survey': answer, 'satisfaction': key}])
    if to_write:
        Call.write(*to_write)


def create_list(pool, company):
    "A per-agent list of the last two weeks, generated, half assigned."
    QaList = pool.get('callcenter.qa.list')
    Sample = pool.get('callcenter.qa.sample')
    Template = pool.get('callcenter.qa.template')
    User = pool.get('res.user')
    templates = Template.search([('state', '=', 'active')],
        order=[('id', 'ASC')], limit=1)
    if not templates:
        return None
    now = dt.datetime.now()
    qa_list, = QaList.create([{
                'name': "本周服务质检 Service QA, last two weeks",
                'company': company.id, 'template': templates[0].id,
                'rule': 'per_agent', 'count': 4, 'direction': 'inbound',
                'call_from': now - dt.timedelta(days=14), 'call_to': now,
                'talk_min': dt.timedelta(seconds=30),
                'risk_weighting': True, 'seed': 20261206,
                }])
    QaList.generate([qa_list])
    QaList.generate_now([qa_list])
    samples = Sample.search([('list', '=', qa_list.id)],
        order=[('agent', 'ASC'), ('rank', 'ASC')])
    qa = User.search([('login', '=', 'qa1')], limit=1)
    if qa:
        Sample.assign(samples[::2], qa)
    return qa_list
