"Who sees and works leads: roles, assignment, the pool, callbacks due."
import datetime as dt

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from ..dialing import next_leads, record_outcome, set_disposition
from .tools import (
    SHANGHAI, add_leads, as_user, at, create_campaign, create_disposition,
    create_task, create_team, create_user)


def names(leads):
    return sorted(l.name for l in leads)


class LeadsTestCase(_DBTestCase):
    "Test lead access, assignment and the pool"
    module = 'callcenter_campaign'

    def _staff(self, company):
        self.alice = create_user('alice', company, 'group_agent')
        self.bob = create_user('bob', company, 'group_agent')
        self.dave = create_user('dave', company, 'group_agent')
        self.carol = create_user('carol', company, 'group_team_leader')
        self.quinn = create_user('quinn', company, 'group_qa')
        self.team = create_team("North", self.carol, self.bob)

    @with_transaction()
    def test_each_role_sees_its_leads(self):
        "Agents see own and pool leads, leaders their team's, QA all"
        Lead = Pool().get('callcenter.campaign.lead')
        with set_company(company := create_company()):
            self._staff(company)
            task = create_task("Roles")
            for name, values in [("Alice's", {'owner': self.alice.id}),
                    ("Bob's", {'owner': self.bob.id}),
                    ("Dave's", {'owner': self.dave.id}),
                    ("Pool", {}),
                    ("North pool", {'team': self.team.id})]:
                lead, = add_leads(task, SHANGHAI, **values)
                lead.name = name
                lead.save()
            with as_user(self.alice):
                self.assertEqual(names(Lead.search([])), ["Alice's", "Pool"])
            with as_user(self.bob):
                self.assertEqual(names(Lead.search([])),
                    ["Bob's", "North pool", "Pool"])
            with as_user(self.carol):
                self.assertEqual(names(Lead.search([])),
                    ["Bob's", "North pool", "Pool"])
            with as_user(self.quinn):
                self.assertEqual(len(Lead.search([])), 5)

    @with_transaction()
    def test_assign_evenly_and_by_state(self):
        "A leader spreads leads evenly, or a count per follow-up state"
        pool = Pool()
        Lead = pool.get('callcenter.campaign.lead')
        Assign = pool.get('callcenter.campaign.lead.assign', type='wizard')
        with set_company(company := create_company()):
            self._staff(company)
            create_team("South", self.carol, self.alice, self.dave)
            task = create_task("Assign", *[SHANGHAI] * 7)
            leads = Lead.search([('task', '=', task.id)])
            Lead.write(leads[:2], {'follow_up_state': 'interested'})
            with as_user(self.carol):
                self._assign(Assign, leads, method='by_state',
                    users=[self.alice, self.bob], count=1,
                    follow_up_state='interested')
                self._assign(Assign, leads[2:], method='evenly',
                    users=[self.alice, self.bob, self.dave])
            owners = [l.owner for l in Lead.browse(leads[:2])]
            self.assertEqual(sorted(o.login for o in owners),
                ['alice', 'bob'])
            counts = {}
            for lead in Lead.browse(leads[2:]):
                counts[lead.owner.login] = counts.get(lead.owner.login, 0) + 1
            self.assertEqual(counts, {'alice': 2, 'bob': 2, 'dave': 1})

    def _assign(self, Assign, leads, **values):
        session_id, _, _ = Assign.create()
        with _context(leads):
            assign = Assign(session_id)
            users = values.pop('users', [])
            for name, value in values.items():
                setattr(assign.start, name, value)
            assign.start.users = users
            assign.transition_assign()

    @with_transaction()
    def test_pool_claim_within_limit(self):
        "An agent claims pool leads up to the limit, and returns them"
        pool = Pool()
        Lead = pool.get('callcenter.campaign.lead')
        Configuration = pool.get('callcenter.configuration')
        with set_company(company := create_company()):
            self._staff(company)
            Configuration.create([{'lead_pool_limit': 2}])
            task = create_task("Pool", *[SHANGHAI] * 3)
            with as_user(self.alice):
                first, second, third = Lead.search([('owner', '=', None)])
                Lead.claim([first, second])
                with self.assertRaises(UserError):
                    Lead.claim([third])
                Lead.return_to_pool([first])
                Lead.claim([third])
                self.assertEqual(names(Lead.search(
                            [('owner', '=', self.alice.id)])),
                    names([second, third]))
            with as_user(self.bob):
                self.assertEqual(Lead.search([('task', '=', task.id),
                            ('owner', '=', None)]), [first])

    @with_transaction()
    def test_callback_due_notified_to_its_agent(self):
        "A due callback is listed and notified to its agent once"
        pool = Pool()
        Lead = pool.get('callcenter.campaign.lead')
        Notification = pool.get('res.notification')
        with set_company(company := create_company()):
            self._staff(company)
            campaign = create_campaign(create_task("Due", SHANGHAI))
            callback = create_disposition(
                "Call back", 'callback', action='callback')
            attempt, = next_leads(campaign, 1, at(2), user=self.alice)
            record_outcome(attempt, 'live', now=at(2), agent=self.alice)
            due = dt.datetime.now() - dt.timedelta(minutes=1)
            set_disposition(attempt.lead, callback, callback_at=due,
                agent=self.alice)
            Lead.notify_callbacks_due()
            Lead.notify_callbacks_due()
            notes = Notification.search([('user', '=', self.alice.id)])
            self.assertEqual(len(notes), 1)
            self.assertEqual(
                Notification.search([('user', '=', self.dave.id)]), [])
            with as_user(self.alice):
                self.assertEqual(Lead.search([('callback_due', '=', True),
                            ('callback_user', '=', self.alice.id)]),
                    [attempt.lead])


def _context(leads):
    from trytond.transaction import Transaction
    return Transaction().set_context(
        active_model='callcenter.campaign.lead',
        active_ids=[l.id for l in leads], active_id=leads[0].id)
