"QA lists: sampling rules, reproducibility, fairness, assignment, access."
import collections
import datetime as dt
import unittest

from hypothesis import HealthCheck, given, settings, strategies as st

from trytond.exceptions import UserError
from trytond.modules.callcenter_base.tests.test_module import create_user
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .list_tools import (
    T0, as_user, create_calls, create_list, create_server, create_team,
    create_template, generate)
from .tools import grade

#: Per agent: how many calls, and per call (talk seconds, survey key).
CALL_SETS = st.lists(st.lists(st.tuples(
            st.integers(5, 600), st.sampled_from([None, 1, 2, 3])),
        max_size=12), min_size=1, max_size=5)
PROPERTY = settings(max_examples=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture])


def _calls_of(server, agents, call_set):
    specs = [{'agent': agent, 'talk': talk, 'satisfaction': key,
                'survey': {1: 'very_satisfied', 2: 'satisfied',
                    3: 'unsatisfied'}.get(key)}
        for agent, calls in zip(agents, call_set) for talk, key in calls]
    return create_calls(server, specs)


class QaListTestCase(unittest.TestCase):
    "Test QA lists"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_qa')

    def setup_team(self, size=3, leader=False):
        company = create_company()
        server = create_server()
        team, agents = create_team(company, server, size, leader=leader)
        return company, server, team, agents

    @with_transaction()
    def test_per_agent_count_or_all_calls(self):
        "Each agent gets the count, or all their calls when fewer"
        company, server, team, agents = self.setup_team(3)
        with set_company(company):
            create_calls(server, [{'agent': agents[0]}] * 5
                + [{'agent': agents[1]}] * 1)
            qa_list = create_list(company, count=3, rule='per_agent',
                teams=[('add', [team.id])])
            samples = generate(qa_list)
        per_agent = collections.Counter(s.agent for s in samples.values())
        self.assertEqual(per_agent, {agents[0]: 3, agents[1]: 1})
        self.assertEqual(qa_list.state, 'generated')
        self.assertEqual(qa_list.total_count, 4)

    @with_transaction()
    def test_total_count_rounding(self):
        "A total of 10 over 3 agents is 4 each rounded up, 3 rounded down"
        company, server, team, agents = self.setup_team(3)
        with set_company(company):
            create_calls(server, [{'agent': a} for a in agents] * 6)
            up = create_list(company, count=10, rule='total',
                rounding='up', teams=[('add', [team.id])])
            self.assertEqual(len(generate(up)), 12)
            self.assertEqual(up.quota, 4)
            Pool().get('callcenter.qa.list').close([up])
            down = create_list(company, count=10, rule='total',
                rounding='down', teams=[('add', [team.id])])
            self.assertEqual(len(generate(down)), 9)
            self.assertEqual(down.quota, 3)

    @with_transaction()
    def test_filters(self):
        """Satisfaction keys, direction, talk range, purpose and call time
        range pick only the matching calls"""
        company, server, team, agents = self.setup_team(1)
        agent = agents[0]
        with set_company(company):
            good, = create_calls(server, [{'agent': agent, 'talk': 100,
                        'satisfaction': 2, 'survey': 'satisfied',
                        'purpose': 'after-sale', 'minutes': 30}])
            create_calls(server, [
                    {'agent': agent, 'talk': 100, 'satisfaction': 3,
                        'purpose': 'after-sale', 'minutes': 30},
                    {'agent': agent, 'talk': 100, 'satisfaction': 2,
                        'direction': 'outbound', 'purpose': 'after-sale',
                        'minutes': 30},
                    {'agent': agent, 'talk': 10, 'satisfaction': 2,
                        'purpose': 'after-sale', 'minutes': 30},
                    {'agent': agent, 'talk': 100, 'satisfaction': 1,
                        'purpose': 'consult', 'minutes': 30},
                    {'agent': agent, 'talk': 100, 'satisfaction': 1,
                        'purpose': 'after-sale', 'minutes': 60 * 24 * 3},
                    ])
            qa_list = create_list(company, count=10,
                teams=[('add', [team.id])], satisfaction='1|2',
                direction='inbound', talk_min=dt.timedelta(seconds=30),
                talk_max=dt.timedelta(seconds=300), purpose='after-sale',
                call_from=T0, call_to=T0 + dt.timedelta(days=1))
            self.assertEqual(list(generate(qa_list)), [good.id])

    @with_transaction()
    def test_satisfaction_keys_checked(self):
        "Satisfaction keys must be digits separated by |"
        company = create_company()
        with set_company(company):
            with self.assertRaises(UserError):
                create_list(company, satisfaction='1,2')

    @with_transaction()
    def test_call_not_in_two_open_lists(self):
        """A call sampled by an open list is not sampled by another; once
        the list is closed it may be"""
        QaList = Pool().get('callcenter.qa.list')
        company, server, team, agents = self.setup_team(1)
        with set_company(company):
            calls = create_calls(server, [{'agent': agents[0]}] * 3)
            first = create_list(company, count=2,
                teams=[('add', [team.id])])
            second = create_list(company, count=2,
                teams=[('add', [team.id])])
            one, two = generate(first), generate(second)
            self.assertFalse(set(one) & set(two))
            self.assertEqual(len(one) + len(two), 3)
            QaList.close([first])
            QaList.generate([second])
            QaList.generate_now([second])
            self.assertEqual(len(QaList(second.id).samples), 2)
        self.assertEqual(len(calls), 3)

    @with_transaction()
    def test_risk_reasons_shown(self):
        """With risk weighting, a sample shows why it is risky (unsatisfied,
        short, called again within 24 h)"""
        company, server, team, agents = self.setup_team(1)
        with set_company(company):
            call, _again = create_calls(server, [
                    {'agent': agents[0], 'talk': 12, 'survey': 'unsatisfied',
                        'satisfaction': 3, 'caller': '+8613900000001',
                        'minutes': 10},
                    {'agent': agents[0], 'caller': '+8613900000001',
                        'minutes': 70}])
            qa_list = create_list(company, count=5, risk_weighting=True,
                teams=[('add', [team.id])])
            samples = generate(qa_list)
        sample = samples[call.id]
        self.assertEqual(sample.reasons,
            'low_satisfaction,short_call,repeat_caller')
        self.assertEqual(sample.weight, 7.0)
        self.assertEqual(sample.reasons_string, "Unsatisfied caller, "
            "Very short call, Called again within 24 h")

    @with_transaction()
    def test_risk_weights_raise_the_chance(self):
        """Over many seeds, a risky call (weight 7) is picked far more often
        than a plain one"""
        QaList = Pool().get('callcenter.qa.list')
        company, server, team, agents = self.setup_team(1)
        with set_company(company):
            risky, = create_calls(server, [{'agent': agents[0], 'talk': 5,
                        'survey': 'unsatisfied', 'satisfaction': 3}])
            create_calls(server, [{'agent': agents[0]}] * 9)
            picked = 0
            for seed in range(1, 61):
                qa_list = create_list(company, count=1, seed=seed,
                    risk_weighting=True, teams=[('add', [team.id])])
                picked += risky.id in generate(qa_list)
                QaList.close([qa_list])
        # weight 5 (two reasons) against 9 of 1: chance 5/14 ≈ 36 %
        # (uniform: 10 %)
        self.assertGreater(picked, 12)

    @with_transaction()
    def test_assign_evenly_by_count_and_recycle(self):
        """Samples go evenly to the chosen QA staff, or N each; recycling
        takes back those not graded; counts follow; QA staff are told"""
        pool = Pool()
        Sample = pool.get('callcenter.qa.sample')
        QaList = pool.get('callcenter.qa.list')
        Notification = pool.get('res.notification')
        company, server, team, agents = self.setup_team(2)
        qa1 = create_user('qa_a', 'group_qa')
        qa2 = create_user('qa_b', 'group_qa')
        with set_company(company):
            create_calls(server, [{'agent': a} for a in agents] * 5)
            qa_list = create_list(company, count=5,
                teams=[('add', [team.id])])
            samples = list(generate(qa_list).values())
            given = Sample.assign(samples, [qa1, qa2], each=2)
            self.assertEqual({u: len(s) for u, s in given.items()},
                {qa1: 2, qa2: 2})
            rest = Sample.search([('list', '=', qa_list.id),
                    ('state', '=', 'unassigned')])
            given = Sample.assign(rest, [qa1, qa2])
            self.assertEqual(sorted(len(s) for s in given.values()), [3, 3])
            qa_list = QaList(qa_list.id)
            self.assertEqual((qa_list.total_count, qa_list.assigned_count,
                    qa_list.unassigned_count), (10, 10, 0))
            self.assertTrue(Notification.search([('user', '=', qa1.id)]))
            QaList.recycle([qa_list])
            qa_list = QaList(qa_list.id)
            self.assertEqual(qa_list.unassigned_count, 10)

    @with_transaction()
    def test_sample_opens_evaluation_then_graded(self):
        """Grading a sample creates its evaluation on the list's template;
        submitting it makes the sample graded in the list's counts"""
        pool = Pool()
        Sample = pool.get('callcenter.qa.sample')
        Evaluation = pool.get('callcenter.qa.evaluation')
        QaList = pool.get('callcenter.qa.list')
        company, server, team, agents = self.setup_team(1)
        qa = create_user('qa_grader', 'group_qa')
        qa.companies = [company]
        qa.company = company
        qa.save()
        with set_company(company):
            create_calls(server, [{'agent': agents[0]}])
            qa_list = create_list(company, count=1,
                teams=[('add', [team.id])])
            sample, = generate(qa_list).values()
            Sample.assign([sample], [qa])
            with as_user(qa):
                evaluation, = Sample.open_evaluations([Sample(sample.id)])
                self.assertEqual(evaluation.template, qa_list.template)
                self.assertEqual(evaluation.call, sample.call)
                self.assertEqual(Sample.open_evaluations(
                        [Sample(sample.id)]), [evaluation])
                grade(evaluation, [8])
                Evaluation.submit([evaluation])
            self.assertEqual(Sample(sample.id).state, 'graded')
            qa_list = QaList(qa_list.id)
            self.assertEqual((qa_list.graded_count, qa_list.ungraded_count),
                (1, 0))

    @with_transaction()
    def test_other_template_may_sample_same_call(self):
        "An open list of another template may sample the same call"
        company, server, team, agents = self.setup_team(1)
        with set_company(company):
            create_calls(server, [{'agent': agents[0]}])
            one = generate(create_list(company, teams=[('add', [team.id])]))
            sales = create_template(company, "Telesales QA")
            two = generate(create_list(company, template=sales.id,
                    teams=[('add', [team.id])]))
            self.assertEqual(set(one), set(two))

    @with_transaction()
    def test_samples_by_role(self):
        """An agent reads the samples of their own calls, a leader their
        team's, QA all of them"""
        Sample = Pool().get('callcenter.qa.sample')
        company = create_company()
        server = create_server()
        team, agents = create_team(company, server, 2, leader=True)
        other_team, others = create_team(company, server, 1)
        qa = create_user('qa_roles', 'group_qa')
        for user in [a.user for a in agents + others] + [qa]:
            user.companies = [company]
            user.company = company
            user.save()
        with set_company(company):
            create_calls(server, [{'agent': a} for a in agents + others])
            generate(create_list(company, count=1))
        leader, member = agents
        for user, expected in [
                (member.user, {member}),
                (leader.user, {leader, member}),
                (others[0].user, {others[0]}),
                (qa, {leader, member, others[0]})]:
            with as_user(user):
                self.assertEqual(
                    {s.agent for s in Sample.search([])}, expected,
                    user.login)

    @with_transaction()
    def test_my_satisfaction_by_role(self):
        """My Satisfaction counts survey answers per agent and month: an
        agent sees their own, a leader their team's"""
        Satisfaction = Pool().get('callcenter.qa.satisfaction')
        company = create_company()
        server = create_server()
        team, agents = create_team(company, server, 2, leader=True)
        _other, others = create_team(company, server, 1)
        for user in [a.user for a in agents + others]:
            user.companies = [company]
            user.company = company
            user.save()
        leader, member = agents
        create_calls(server, [
                {'agent': member, 'survey': 'satisfied'},
                {'agent': member, 'survey': 'satisfied'},
                {'agent': member, 'survey': 'no_answer'},
                {'agent': member},
                {'agent': leader, 'survey': 'unsatisfied'},
                {'agent': others[0], 'survey': 'very_satisfied'}])
        with as_user(member.user):
            rows = {(r.agent, r.survey): r.calls
                for r in Satisfaction.search([])}
        self.assertEqual(rows, {(member, 'satisfied'): 2,
                (member, 'no_answer'): 1})
        with as_user(leader.user):
            agents_seen = {r.agent for r in Satisfaction.search([])}
        self.assertEqual(agents_seen, {leader, member})

    @with_transaction()
    def test_sampling_property_reproducible_and_fair(self):
        """Over random call sets: the same list generated again samples the
        same calls, and each agent gets min(count, eligible calls)"""
        company = create_company()
        server = create_server()

        @PROPERTY
        @given(call_set=CALL_SETS, count=st.integers(1, 6),
            keys=st.sampled_from([None, '1|2', '3']),
            weighting=st.booleans())
        def check(call_set, count, keys, weighting):
            QaList = Pool().get('callcenter.qa.list')
            team, agents = create_team(company, server, len(call_set))
            calls = _calls_of(server, agents, call_set)
            qa_list = create_list(company, count=count, satisfaction=keys,
                risk_weighting=weighting, teams=[('add', [team.id])])
            first = set(generate(qa_list))
            self.assertEqual(set(generate(qa_list)), first)
            wanted = {int(k) for k in keys.split('|')} if keys else None
            eligible = collections.Counter(c.agent for c in calls
                if wanted is None or c.satisfaction in wanted)
            picked = collections.Counter(
                s.agent for s in QaList(qa_list.id).samples)
            for agent in agents:
                self.assertEqual(picked[agent],
                    min(count, eligible[agent]))
            QaList.close([qa_list])
        with set_company(company):
            check()

