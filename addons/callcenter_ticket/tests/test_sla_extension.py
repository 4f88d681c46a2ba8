"SLA extension requests decided by the team leader."
from trytond.exceptions import UserError
from trytond.model.modelview import AccessButtonError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    at, create_team, create_ticket, create_type, create_user, frozen_now)


def as_user(user):
    "Act as user with access rights checked, as through the web client."
    class _Both:
        def __enter__(self):
            self.user = Transaction().set_user(user.id)
            self.context = Transaction().set_context(_check_access=True)
            self.user.__enter__()
            self.context.__enter__()

        def __exit__(self, *args):
            self.context.__exit__(*args)
            self.user.__exit__(*args)
    return _Both()


class SLAExtensionTestCase(_DBTestCase):
    "Test SLA extensions"
    module = 'callcenter_ticket'

    def setup_team(self, company):
        "agent and mate in leader's team, an open ticket of agent."
        Ticket = Pool().get('callcenter.ticket')
        self.agent = create_user('agent', company, 'group_agent')
        self.leader = create_user('leader', company, 'group_team_leader')
        self.other_leader = create_user(
            'other_leader', company, 'group_team_leader')
        team = create_team("Team A", self.leader, self.agent)
        create_team("Team B", self.other_leader)
        ticket = create_ticket(create_type(resolution=8),
            assignee=self.agent.id, team=team.id)
        with frozen_now(at(9, days=3)):
            Ticket.submit([ticket])
        return ticket

    def request(self, ticket, hours=4, reason="Waiting on the supplier"):
        Extension = Pool().get('callcenter.ticket.sla_extension')
        with as_user(self.agent):
            extension, = Extension.create([{
                        'ticket': ticket.id, 'hours': hours,
                        'reason': reason}])
        return Extension(extension.id)

    @with_transaction()
    def test_leader_approval_moves_due_date(self):
        "Approving adds the hours to the resolution due date and history"
        pool = Pool()
        Extension = pool.get('callcenter.ticket.sla_extension')
        Notification = pool.get('res.notification')
        company = create_company()
        with set_company(company):
            ticket = self.setup_team(company)
            self.assertEqual(ticket.resolution_due, at(17, days=3))
            extension = self.request(ticket)
            self.assertEqual(Notification.search_count(
                    [('user', '=', self.leader.id)]), 1)
            with as_user(self.leader):
                Extension.approve([extension])
        self.assertEqual(extension.state, 'approved')
        self.assertEqual(extension.decided_by, self.leader)
        self.assertEqual(ticket.extended_hours, 4)
        self.assertEqual(ticket.resolution_due, at(12, days=4))
        self.assertEqual(ticket.history[-1].comment,
            "SLA extended by 4 hours: Waiting on the supplier")
        self.assertEqual(Notification.search_count(
                [('user', '=', self.agent.id)]), 1)

    @with_transaction()
    def test_extension_survives_waiting(self):
        "The extension stays when a pause moves the due date again"
        pool = Pool()
        Ticket = pool.get('callcenter.ticket')
        Extension = pool.get('callcenter.ticket.sla_extension')
        company = create_company()
        with set_company(company):
            ticket = self.setup_team(company)
            extension = self.request(ticket, hours=2)
            Extension.approve([extension])
            with frozen_now(at(10, days=3)):
                Ticket.accept([ticket])
                Ticket.wait([ticket])
            with frozen_now(at(11, days=3)):
                Ticket.process([ticket])
        self.assertEqual(ticket.resolution_due, at(11, days=4))

    @with_transaction()
    def test_refusal_needs_reason_and_keeps_due_date(self):
        "Refusing asks for a reason and leaves the due date"
        Extension = Pool().get('callcenter.ticket.sla_extension')
        company = create_company()
        with set_company(company):
            ticket = self.setup_team(company)
            extension = self.request(ticket)
            with as_user(self.leader):
                with self.assertRaises(UserError) as cm:
                    Extension.refuse([extension])
                self.assertIn(ticket.number, cm.exception.message)
                Extension.write([extension], {
                        'decision_note': "Supplier already answered"})
                Extension.refuse([extension])
        self.assertEqual(extension.state, 'refused')
        self.assertEqual(ticket.resolution_due, at(17, days=3))
        self.assertEqual(ticket.extended_hours, 0)

    @with_transaction()
    def test_only_the_team_leader_decides(self):
        "Another team's leader and the agent cannot decide"
        Extension = Pool().get('callcenter.ticket.sla_extension')
        company = create_company()
        with set_company(company):
            ticket = self.setup_team(company)
            extension = self.request(ticket)
            with as_user(self.agent):
                with self.assertRaises(AccessButtonError):
                    Extension.approve([extension])
            with as_user(self.other_leader):
                with self.assertRaises(UserError):
                    Extension.approve([extension])
            admin = create_user('ccadmin', company, 'group_admin')
            with as_user(admin):
                Extension.approve([extension])
        self.assertEqual(extension.state, 'approved')

    @with_transaction()
    def test_agent_sees_requests_of_own_tickets(self):
        "Requests and history follow the ticket's access"
        Extension = Pool().get('callcenter.ticket.sla_extension')
        History = Pool().get('callcenter.ticket.history')
        company = create_company()
        with set_company(company):
            ticket = self.setup_team(company)
            extension = self.request(ticket)
            stranger = create_user('stranger', company, 'group_agent')
            with as_user(stranger):
                self.assertEqual(Extension.search([]), [])
                self.assertEqual(History.search([]), [])
            with as_user(self.leader):
                self.assertEqual(Extension.search([]), [extension])


del _DBTestCase
