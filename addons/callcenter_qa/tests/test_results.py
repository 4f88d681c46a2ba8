"QA results: reports, calibration, the recording library."
import datetime as dt
import unittest

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import D, World, as_user, create_user, grade


class QaResultsTestCase(unittest.TestCase):
    "Test QA results"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_qa')

    def _report(self, user, **context):
        Report = Pool().get('callcenter.qa.report')
        with as_user(user), Transaction().set_context(**context):
            return {(r.group_label, r.count, r.average, r.pass_rate,
                        r.auto_failed) for r in Report.search([])}

    @with_transaction()
    def test_report_by_agent_and_team(self):
        """Counts, averages, pass rate and auto-fails by agent, with the
        leaders seeing only their team"""
        world = World()
        world.evaluate(world.agent1, world.qa1, [10, 10, 1, 5])  # 100
        world.evaluate(world.agent1, world.qa2, [10, 10, 0, 5])  # 0
        world.evaluate(world.agent2, world.qa1, [8, 9, 1, 5])  # 89.13
        world.evaluate(world.agent2, world.qa1, [10, 10, 1, 5],
            submit=False)
        self.assertEqual(self._report(world.qa1), {
                ('Agent1 (1001)', 2, D(50), 0.5, 1),
                ('Agent2 (1002)', 1, D('89.13'), 1.0, 0)})
        self.assertEqual(self._report(world.leader1),
            {('Agent1 (1001)', 2, D(50), 0.5, 1)})
        self.assertEqual(self._report(world.qa1, group_by='team'), {
                ('Team 1', 2, D(50), 0.5, 1),
                ('Team 2', 1, D('89.13'), 1.0, 0)})
        self.assertEqual(self._report(world.qa1, group_by='template'),
            {('Service QA (v1)', 3, D('63.04'), 2 / 3, 1)})

    @with_transaction()
    def test_report_date_range(self):
        "The report counts the evaluations of the context's dates only"
        world = World()
        Evaluation = Pool().get('callcenter.qa.evaluation')
        old = world.evaluate(world.agent1, world.qa1, [10, 10, 1, 5])
        world.evaluate(world.agent1, world.qa1, [10, 10, 0, 5])
        Evaluation.write([old], {'date': dt.date(2020, 1, 15)})
        today = dt.date.today()
        self.assertEqual(self._report(world.qa1, from_date=today),
            {('Agent1 (1001)', 1, D(0), 0.0, 1)})
        self.assertEqual(self._report(world.qa1,
                from_date=dt.date(2020, 1, 1), to_date=dt.date(2020, 1, 31)),
            {('Agent1 (1001)', 1, D(100), 1.0, 0)})

    @with_transaction()
    def test_report_per_item_average(self):
        "Each form line's average in percent of its maximum, N/A apart"
        world = World()
        ReportItem = Pool().get('callcenter.qa.report.item')
        world.evaluate(world.agent1, world.qa1, [10, 5, 1, 'na'])
        world.evaluate(world.agent2, world.qa1, [5, 10, 1, 5])
        with as_user(world.qa1):
            rows = {r.name: (r.count, r.average, r.na_count)
                for r in ReportItem.search([])}
        self.assertEqual(rows, {
                "Greeting": (2, D(75), 0), "Solution": (2, D(75), 0),
                "Verifies identity": (2, D(100), 0),
                "Upsell": (1, D(100), 1)})

    @with_transaction()
    def test_calibration_is_blind_until_closed(self):
        """Graders of an open session see only their own grade; once closed
        all see each one's spread from the median"""
        world = World()
        pool = Pool()
        Calibration = pool.get('callcenter.qa.calibration')
        Evaluation = pool.get('callcenter.qa.evaluation')
        qa3 = create_user('qa3', world.company, 'group_qa')
        call = world.create_call(world.agent1)
        with as_user(world.leader1):
            session, = Calibration.create([{'name': "November",
                        'call': call.id, 'template': world.template.id,
                        'graders': [('add', [world.qa1.id, world.qa2.id,
                                    qa3.id])]}])
            Calibration.start([session])
        for grader, scores in [(world.qa1, [10, 10, 1, 5]),
                (world.qa2, [8, 9, 1, 5]), (qa3, [5, 5, 1, 5])]:
            with as_user(grader):
                mine, = Evaluation.search([('calibration', '=', session.id)])
                self.assertEqual(mine.grader, grader)
                grade(mine, scores)
                Evaluation.submit([mine])
        with as_user(world.agent1.user):
            self.assertEqual(Evaluation.search([]), [])
        with as_user(world.leader1):
            Calibration.close([Calibration(session.id)])
        with as_user(world.qa2):
            session = Calibration(session.id)
            self.assertEqual(session.median, D('89.13'))
            self.assertEqual(
                sorted((e.grader.login, e.spread) for e in Evaluation.search(
                        [('calibration', '=', session.id)])),
                [('qa1', D('10.87')), ('qa2', D(0)), ('qa3', D('-32.61'))])
        self.assertEqual(self._report(world.qa1), set())

    @with_transaction()
    def test_library_shared_by_group(self):
        """Agents play library recordings of calls they cannot read, see
        only entries shared with them and keep their own favourites"""
        world = World()
        pool = Pool()
        Entry = pool.get('callcenter.qa.library.entry')
        Category = pool.get('callcenter.qa.library.category')
        Call = pool.get('callcenter.call')
        ModelData = pool.get('ir.model.data')
        call = world.create_call(world.agent2)
        Call.write([call], {'recording': b'RIFF-demo',
                'recording_name': 'call.wav'})
        with as_user(world.qa1):
            category, = Category.create([{'name': "Angry customers"}])
            public, private = Entry.create([
                    {'name': "Calming down", 'category': category.id,
                        'call': call.id},
                    {'name': "Leaders only", 'category': category.id,
                        'call': call.id, 'kind': 'cautionary',
                        'groups': [('add', [ModelData.get_id(
                                            'callcenter_base',
                                            'group_team_leader')])]}])
        with as_user(world.agent1.user):
            with self.assertRaises(AccessError):
                Call.read([call.id], ['notes'])
            entry, = Entry.search([])
            self.assertEqual(entry, public)
            self.assertEqual(entry.recording, b'RIFF-demo')
            Entry.toggle_favorite([entry])
            self.assertEqual(Entry.search([('favorite', '=', True)]),
                [public])
        with as_user(world.leader1):
            self.assertEqual(set(Entry.search([])), {public, private})
            self.assertEqual(Entry.search([('favorite', '=', True)]), [])
