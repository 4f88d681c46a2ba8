"Customer follow-ups, sales stages and reminders."
import datetime as dt

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import create_team, create_user

TODAY = dt.date(2026, 11, 24)


def follow_up(party, agent, **values):
    FollowUp = Pool().get('callcenter.customer.follow_up')
    record, = FollowUp.create([dict(
                party=party.id, agent=agent.id, channel='phone', **values)])
    return record


class FollowUpTestCase(_DBTestCase):
    "Test customer follow-ups"
    module = 'callcenter_ticket'

    @with_transaction()
    def test_latest_follow_up_sets_sales_stage(self):
        "The stage of the latest follow-up becomes the customer's"
        Party = Pool().get('party.party')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            party, = Party.create([{'name': "Zhou Ming"}])
            follow_up(party, agent, stage='contacted',
                date=dt.datetime(2026, 11, 2, 9))
            self.assertEqual(party.sales_stage, 'contacted')
            follow_up(party, agent, note="Asked for a quote",
                date=dt.datetime(2026, 11, 3, 9))
            self.assertEqual(party.sales_stage, 'contacted')
            follow_up(party, agent, stage='negotiating',
                date=dt.datetime(2026, 11, 5, 9))
        self.assertEqual(party.sales_stage, 'negotiating')
        self.assertEqual(len(party.follow_ups), 3)

    @with_transaction()
    def test_funnel_counts_per_stage(self):
        "The funnel graph counts the customers of each stage"
        pool = Pool()
        Party = pool.get('party.party')
        ModelData = pool.get('ir.model.data')
        view = Party.fields_view_get(ModelData.get_id(
                'callcenter_ticket', 'follow_up_party_view_graph_funnel'))
        self.assertEqual(view['type'], 'graph')
        self.assertIn('sales_stage', view['fields'])
        self.assertIn('funnel_count', view['fields'])
        Party.create([{'name': n, 'sales_stage': s} for n, s in [
                    ("A", 'new'), ("B", 'won'), ("C", 'won'),
                    ("D", 'lost'), ("E", None)]])
        # what the graph does: sum the y field per x value
        funnel = {}
        for party in Party.search([('sales_stage', '!=', None)]):
            funnel[party.sales_stage] = (
                funnel.get(party.sales_stage, 0) + party.funnel_count)
        self.assertEqual(funnel, {'new': 1, 'won': 2, 'lost': 1})

    @with_transaction()
    def test_reminders_for_due_next_actions_once(self):
        "The cron reminds the owning agent of due next actions, once"
        pool = Pool()
        Party = pool.get('party.party')
        FollowUp = pool.get('callcenter.customer.follow_up')
        Notification = pool.get('res.notification')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            other = create_user('other', company, 'group_agent')
            party, = Party.create([{'name': "Sun Li"}])
            due = follow_up(party, agent, next_action="Send the quote",
                next_action_date=TODAY)
            follow_up(party, agent, next_action="Later",
                next_action_date=TODAY + dt.timedelta(days=1))
            follow_up(party, other, next_action="Done already",
                next_action_date=TODAY, done=True)
            self.assertEqual(FollowUp.send_reminders(TODAY), [due])
            self.assertEqual(FollowUp.send_reminders(TODAY), [])
        notification, = Notification.search([])
        self.assertEqual(notification.user, agent)
        self.assertIn("Sun Li", notification.label)
        self.assertIn("Send the quote", notification.label)
        self.assertTrue(due.reminded)

    @with_transaction()
    def test_access_by_role(self):
        "Agents see their follow-ups, leaders their team's, QA all"
        pool = Pool()
        Party = pool.get('party.party')
        FollowUp = pool.get('callcenter.customer.follow_up')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            other = create_user('other', company, 'group_agent')
            outsider = create_user('outsider', company, 'group_agent')
            leader = create_user('leader', company, 'group_team_leader')
            qa = create_user('qa', company, 'group_qa')
            create_team("Team A", leader, agent, other)
            party, = Party.create([{'name': "Qian Hao"}])
            own = follow_up(party, agent)
            mate = follow_up(party, other)
            foreign = follow_up(party, outsider)

            def visible(user):
                with Transaction().set_user(user.id), \
                        Transaction().set_context(_check_access=True):
                    return set(FollowUp.search([]))
            self.assertEqual(visible(agent), {own})
            self.assertEqual(visible(leader), {own, mate})
            self.assertEqual(visible(qa), {own, mate, foreign})
            with Transaction().set_user(qa.id), \
                    Transaction().set_context(_check_access=True):
                with self.assertRaises(AccessError):
                    FollowUp.write([own], {'note': "QA may not edit"})


del _DBTestCase
