"QA forms and grading: scores, the dispute flow and who reads what."
import unittest

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import D, World, as_user, grade


def dispute(evaluation, comment):
    "Run the Dispute wizard on evaluation as the current user."
    Dispute = Pool().get('callcenter.qa.evaluation.dispute', type='wizard')
    session_id, _, _ = Dispute.create()
    with Transaction().set_context(active_model=evaluation.__name__,
            active_id=evaluation.id, active_ids=[evaluation.id]):
        Dispute.execute(session_id, {'start': {'comment': comment}},
            'dispute')


def notified(user, evaluation):
    Notification = Pool().get('res.notification')
    return Notification.search([('user', '=', user.id),
            ('model', '=', evaluation.__name__)])


class QaTemplateTestCase(unittest.TestCase):
    "Test QA forms"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_qa')

    @with_transaction()
    def test_active_template_is_read_only(self):
        "An active form cannot be renamed nor given new lines"
        world = World()
        Template = Pool().get('callcenter.qa.template')
        with as_user(world.qa1):
            template = Template(world.template.id)
            with self.assertRaises(AccessError):
                Template.write([template], {'name': "Changed"})
            with self.assertRaises(AccessError):
                Template.write([template], {'lines': [('create', [
                                    {'name': "New", 'max_score': D(1)}])]})

    @with_transaction()
    def test_new_version_is_a_draft_copy(self):
        "A new version copies the lines into an editable draft"
        world = World()
        Template = Pool().get('callcenter.qa.template')
        with as_user(world.qa1):
            new_id, = Template.new_version([Template(world.template.id)])
            new = Template(new_id)
            self.assertEqual((new.state, new.version, new.previous),
                ('draft', 2, world.template))
            self.assertEqual([l.name for l in new.lines],
                [l.name for l in world.template.lines])
            self.assertEqual(new.max_total, world.template.max_total)
            Template.write([new], {'name': "Service QA 2027"})

    @with_transaction()
    def test_draft_template_cannot_grade(self):
        "Only active forms are offered for grading"
        world = World()
        Evaluation = Pool().get('callcenter.qa.evaluation')
        draft = world.create_template(activate=False)
        call = world.create_call(world.agent1)
        with self.assertRaises(UserError):
            Evaluation.create([{'call': call.id, 'agent': world.agent1.id,
                        'template': draft.id, 'grader': world.qa1.id}])


class QaGradingTestCase(unittest.TestCase):
    "Test grading calls"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_qa')

    @with_transaction()
    def test_weighted_score(self):
        "The score weighs points: (8 + 3×9 + 1 + 5) of 46 is 89.13 %"
        world = World()
        evaluation = world.evaluate(world.agent1, world.qa1, [8, 9, 1, 5])
        self.assertEqual(evaluation.score, D('89.13'))
        self.assertEqual(evaluation.points, D(41))
        self.assertTrue(evaluation.passed)
        self.assertEqual(evaluation.state, 'submitted')

    @with_transaction()
    def test_na_counts_zero_of_zero(self):
        "An N/A line leaves the possible points: 36 of 41"
        world = World()
        evaluation = world.evaluate(world.agent1, world.qa1, [8, 9, 1, 'na'])
        self.assertEqual(evaluation.score, D('87.80'))
        self.assertEqual(evaluation.possible, D(41))

    @with_transaction()
    def test_na_only_where_allowed(self):
        "A line not allowed N/A blocks the submission"
        world = World()
        with self.assertRaises(UserError):
            world.evaluate(world.agent1, world.qa1, ['na', 9, 1, 5])

    @with_transaction()
    def test_auto_fail_gives_zero_and_coaching(self):
        """A missed auto-fail line scores the call 0 and opens a coaching
        task for the agent's team leader on the failed item"""
        world = World()
        Coaching = Pool().get('callcenter.qa.coaching')
        evaluation = world.evaluate(world.agent1, world.qa1, [10, 10, 0, 5])
        self.assertEqual(evaluation.score, D(0))
        self.assertTrue(evaluation.auto_failed)
        self.assertFalse(evaluation.passed)
        with as_user(world.leader1):
            coaching, = Coaching.search([])
            self.assertEqual(coaching.evaluation, evaluation)
            self.assertEqual([l.name for l in coaching.failed_lines],
                ["Verifies identity"])
            Coaching.done([coaching])
        self.assertTrue(notified(world.leader1, coaching))
        with as_user(world.leader2):
            self.assertEqual(Coaching.search([]), [])

    @with_transaction()
    def test_passing_evaluation_opens_no_coaching(self):
        "A passed evaluation leaves the leader alone"
        world = World()
        Coaching = Pool().get('callcenter.qa.coaching')
        world.evaluate(world.agent1, world.qa1, [10, 10, 1, 5])
        self.assertEqual(Coaching.search([]), [])

    @with_transaction()
    def test_comment_required_below_threshold(self):
        "A line below the comment threshold needs a comment to submit"
        world = World()
        Evaluation = Pool().get('callcenter.qa.evaluation')
        template = world.create_template(comment_threshold=D(50))
        evaluation = world.evaluate(world.agent1, world.qa1, [4, 9, 1, 5],
            template=template, submit=False)
        with as_user(world.qa1), self.assertRaises(UserError):
            Evaluation.submit([Evaluation(evaluation.id)])
        grade(evaluation, [(4, "Did not give the company name")])
        with as_user(world.qa1):
            Evaluation.submit([Evaluation(evaluation.id)])

    @with_transaction()
    def test_live_score_follows_lines(self):
        "The form's total changes as the grader scores a line"
        world = World()
        evaluation = world.evaluate(world.agent1, world.qa1, [10, 10, 1, 5],
            submit=False)
        self.assertEqual(evaluation.live_score, D(100))
        evaluation.lines[1].score = D(0)
        self.assertEqual(evaluation.on_change_with_live_score(),
            D('34.78'))

    @with_transaction()
    def test_dispute_flow(self):
        """Submitted: the agent is told, disputes once with a comment, the
        QA lead is told and rescores; each step is in the history"""
        world = World()
        pool = Pool()
        Evaluation = pool.get('callcenter.qa.evaluation')
        Line = pool.get('callcenter.qa.evaluation.line')
        evaluation = world.evaluate(world.agent1, world.qa1, [5, 9, 1, 5])
        self.assertTrue(notified(world.agent1.user, evaluation))
        with as_user(world.agent2.user), self.assertRaises(AccessError):
            dispute(Evaluation(evaluation.id), "Not mine")
        with as_user(world.agent1.user):
            with self.assertRaises(UserError):
                dispute(Evaluation(evaluation.id), " ")
            dispute(Evaluation(evaluation.id), "I gave the company name")
            self.assertEqual(Evaluation(evaluation.id).state, 'disputed')
            with self.assertRaises(UserError):
                dispute(Evaluation(evaluation.id), "Again")
        self.assertTrue(notified(world.lead, evaluation))
        with as_user(world.qa1), self.assertRaises(UserError):
            Evaluation.rescore([Evaluation(evaluation.id)])
        with as_user(world.lead):
            line = Evaluation(evaluation.id).lines[0]
            Line.write([Line(line.id)], {'score': D(10)})
            Evaluation.rescore([Evaluation(evaluation.id)])
        evaluation = Evaluation(evaluation.id)
        self.assertEqual((evaluation.state, evaluation.score),
            ('rescored', D('93.48')))
        self.assertEqual([(h.action, h.user) for h in evaluation.history][1:], [
                ('submitted', world.qa1),
                ('disputed', world.agent1.user), ('rescored', world.lead)])
        self.assertEqual(evaluation.history[2].comment,
            "I gave the company name")

    @with_transaction()
    def test_agent_acknowledges(self):
        "The agent acknowledges; submitted lines cannot change any more"
        world = World()
        pool = Pool()
        Evaluation = pool.get('callcenter.qa.evaluation')
        Line = pool.get('callcenter.qa.evaluation.line')
        evaluation = world.evaluate(world.agent1, world.qa1, [8, 9, 1, 5])
        with as_user(world.qa1), self.assertRaises(UserError):
            Line.write([Line(evaluation.lines[0].id)], {'score': D(1)})
        with as_user(world.agent1.user):
            Evaluation.acknowledge([Evaluation(evaluation.id)])
        self.assertEqual(Evaluation(evaluation.id).state, 'acknowledged')

    @with_transaction()
    def test_who_reads_which_evaluations(self):
        """Agents read their own submitted evaluations, leaders their
        team's, QA and admins all"""
        world = World()
        pool = Pool()
        Evaluation = pool.get('callcenter.qa.evaluation')
        from .tools import create_user
        admin = create_user('ccadmin', world.company, 'group_admin')
        e1 = world.evaluate(world.agent1, world.qa1, [8, 9, 1, 5])
        e2 = world.evaluate(world.agent2, world.qa2, [8, 9, 1, 5])
        draft = world.evaluate(world.agent1, world.qa2, [8, 9, 1, 5],
            submit=False)
        for user, expected in [
                (world.agent1.user, {e1}), (world.agent2.user, {e2}),
                (world.leader1, {e1}), (world.leader2, {e2}),
                (world.qa1, {e1, e2, draft}), (world.qa2, {e1, e2, draft}),
                (admin, {e1, e2, draft})]:
            with self.subTest(user=user.login), as_user(user):
                self.assertEqual(set(Evaluation.search([])), expected)
                if expected != {e1, e2, draft}:
                    with self.assertRaises(AccessError):
                        Evaluation.read([draft.id], ['score'])

    @with_transaction()
    def test_grade_call_from_the_call(self):
        """Grade Call on a call opens the grader's draft with one line per
        form line, the same draft when run again; agents cannot run it"""
        world = World()
        pool = Pool()
        Evaluation = pool.get('callcenter.qa.evaluation')
        GradeCall = pool.get('callcenter.qa.evaluation.grade', type='wizard')
        call = world.create_call(world.agent1)

        def grade_call():
            session_id, _, _ = GradeCall.create()
            with Transaction().set_context(active_model='callcenter.call',
                    active_id=call.id, active_ids=[call.id]):
                return GradeCall.execute(session_id, {'start': {
                            'template': world.template.id}}, 'grade')
        with as_user(world.qa1):
            first = grade_call()['actions'][0][1]['res_id']
            again = grade_call()['actions'][0][1]['res_id']
            evaluation, = Evaluation.search([('call', '=', call.id)])
        self.assertEqual(first, again)
        self.assertEqual(first, [evaluation.id])
        self.assertEqual((evaluation.grader, evaluation.agent,
                evaluation.team, evaluation.state, len(evaluation.lines)),
            (world.qa1, world.agent1, world.team1, 'draft', 4))
        with as_user(world.agent1.user), self.assertRaises(AccessError):
            grade_call()
