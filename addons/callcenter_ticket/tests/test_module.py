import datetime as dt
import email

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.sendmail import SMTPDataManager
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    at, create_team, create_ticket, create_type, create_user, frozen_now,
    smtp_server)


class CallCenterTicketTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Call Center Ticket module"
    module = 'callcenter_ticket'
    extras = ['callcenter_cti']

    @with_transaction()
    def test_ticket_types_ordered_by_sequence(self):
        "Ticket types are listed in the order the admin chose"
        Type = Pool().get('callcenter.ticket.type')
        company = create_company()
        with set_company(company):
            Type.create([
                    {'name': "Complaint", 'sequence': 20},
                    {'name': "Consult", 'sequence': 10},
                    ])
            self.assertEqual(
                [t.name for t in Type.search([])], ["Consult", "Complaint"])

    @with_transaction()
    def test_ticket_number_from_sequence(self):
        "New tickets are numbered from the ticket sequence"
        company = create_company()
        with set_company(company):
            type_ = create_type()
            first = create_ticket(type_)
            second = create_ticket(type_)
        self.assertRegex(first.number, r'^T\d{6}$')
        self.assertNotEqual(first.number, second.number)

    @with_transaction()
    def test_submit_sets_due_dates_over_weekend(self):
        "Due dates computed on Friday afternoon run into Monday"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            ticket = create_ticket(create_type(response=2, resolution=8))
            with frozen_now(at(16)):
                Ticket.submit([ticket])
        self.assertEqual(ticket.state, 'open')
        self.assertEqual(ticket.response_due, at(18))
        self.assertEqual(ticket.resolution_due, at(15, days=3))

    @with_transaction()
    def test_waiting_pauses_resolution_clock(self):
        "Business time spent waiting moves the resolution due date"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            ticket = create_ticket(create_type(resolution=8))
            with frozen_now(at(9, days=3)):
                Ticket.submit([ticket])
                Ticket.accept([ticket])
            self.assertEqual(ticket.resolution_due, at(17, days=3))
            with frozen_now(at(10, days=3)):
                Ticket.wait([ticket])
            with frozen_now(at(10, days=4)):
                Ticket.process([ticket])
        self.assertEqual(ticket.paused_hours, 9)
        self.assertEqual(ticket.resolution_due, at(17, days=4))

    @with_transaction()
    def test_waiting_ticket_is_not_overdue(self):
        "A ticket waiting on the customer does not breach resolution"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            ticket = create_ticket(create_type(resolution=1))
            with frozen_now(at(9, days=3)):
                Ticket.submit([ticket])
                Ticket.accept([ticket])
                Ticket.wait([ticket])
            with frozen_now(at(15, days=3)):
                Ticket.check_overdue()
        self.assertFalse(ticket.overdue)

    @with_transaction()
    def test_overdue_flag_stays_once_breached(self):
        "The overdue flag set by the cron stays after resolving"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            ticket = create_ticket(create_type(response=1, resolution=2))
            with frozen_now(at(9, days=3)):
                Ticket.submit([ticket])
            with frozen_now(at(11, days=3)):
                Ticket.check_overdue()
                self.assertTrue(ticket.overdue)
                Ticket.accept([ticket])
                Ticket.resolve([ticket])
            self.assertTrue(ticket.overdue)
            self.assertEqual(
                Ticket.search([('overdue', '=', True)]), [ticket])

    @with_transaction()
    def test_late_resolution_flags_overdue_on_write(self):
        "Resolving after the due date flags the ticket without the cron"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            ticket = create_ticket(create_type(response=8, resolution=1))
            with frozen_now(at(9, days=3)):
                Ticket.submit([ticket])
                Ticket.accept([ticket])
            with frozen_now(at(12, days=3)):
                Ticket.resolve([ticket])
        self.assertTrue(ticket.overdue)

    @with_transaction()
    def test_workflow_history(self):
        "Every step is kept with who, the states and the assignees"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            ticket = create_ticket(create_type(), assignee=None)
            Ticket.submit([ticket])
            with Transaction().set_user(agent.id):
                Ticket.accept([ticket])
            Ticket.wait([ticket])
            Ticket.process([ticket])
            Ticket.resolve([ticket])
            Ticket.close([ticket])
        steps = [(h.from_state, h.to_state) for h in ticket.history]
        self.assertEqual(steps, [
                (None, 'draft'), ('draft', 'open'), ('open', 'in_progress'),
                ('in_progress', 'waiting'), ('waiting', 'in_progress'),
                ('in_progress', 'resolved'), ('resolved', 'closed')])
        accept = ticket.history[2]
        self.assertEqual(accept.user, agent)
        self.assertIsNone(accept.from_assignee)
        self.assertEqual(accept.to_assignee, agent)

    @with_transaction()
    def test_invalid_transition_ignored(self):
        "A draft ticket cannot be closed"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            ticket = create_ticket(create_type())
            Ticket.close([ticket])
        self.assertEqual(ticket.state, 'draft')

    @with_transaction()
    def test_resolve_on_spot(self):
        "A draft ticket resolved during the call is answered and resolved"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            ticket = create_ticket(create_type(), assignee=None)
            with Transaction().set_user(agent.id):
                Ticket.resolve_on_spot([ticket])
        self.assertEqual(ticket.state, 'resolved')
        self.assertEqual(ticket.assignee, agent)
        self.assertIsNotNone(ticket.responded_at)
        self.assertIsNotNone(ticket.resolved_at)

    @with_transaction()
    def test_return_to_team_unassigns(self):
        "Returning a ticket puts it back in the team's queue"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            ticket = create_ticket(create_type())
            Ticket.submit([ticket])
            with Transaction().set_user(agent.id):
                Ticket.accept([ticket])
            Ticket.return_to_team([ticket])
        self.assertEqual(ticket.state, 'open')
        self.assertIsNone(ticket.assignee)

    @with_transaction()
    def test_reopen_resolved_ticket(self):
        "A resolved ticket can be opened again"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            ticket = create_ticket(create_type())
            Ticket.resolve_on_spot([ticket])
            Ticket.reopen([ticket])
        self.assertEqual(ticket.state, 'open')
        self.assertIsNone(ticket.resolved_at)

    @with_transaction()
    def test_sub_tickets(self):
        "A ticket lists the tickets created under it"
        company = create_company()
        with set_company(company):
            type_ = create_type()
            order = create_ticket(type_, "Order")
            ret = create_ticket(type_, "Return", parent=order.id)
        self.assertEqual(list(order.children), [ret])

    @with_transaction()
    def test_transfer_keeps_reason_and_notifies(self):
        "A transfer is kept with its reason and notifies the new agent"
        pool = Pool()
        Ticket = pool.get('callcenter.ticket')
        Notification = pool.get('res.notification')
        company = create_company()
        with set_company(company):
            other = create_user('other', company, 'group_agent')
            ticket = create_ticket(create_type())
            Ticket.submit([ticket])
            Ticket.transfer([ticket], other, None, "Speaks Cantonese")
        self.assertEqual(ticket.assignee, other)
        self.assertEqual(ticket.history[-1].comment, "Speaks Cantonese")
        self.assertEqual(ticket.history[-1].to_assignee, other)
        notification, = Notification.search([('user', '=', other.id)])
        self.assertEqual(notification.records, f'[{ticket.id}]')

    @with_transaction()
    def test_transfer_needs_target(self):
        "A transfer without agent or team is refused"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            ticket = create_ticket(create_type())
            with self.assertRaises(UserError):
                Ticket.transfer([ticket], None, None, "Why not")

    @with_transaction()
    def test_reassign_wizard(self):
        "The reassign wizard moves the ticket to the chosen team's queue"
        pool = Pool()
        Ticket = pool.get('callcenter.ticket')
        Reassign = pool.get('callcenter.ticket.reassign', type='wizard')
        company = create_company()
        with set_company(company):
            leader = create_user('leader', company, 'group_team_leader')
            team = create_team("Team B", leader)
            ticket = create_ticket(create_type())
            session_id, _, _ = Reassign.create()
            reassign = Reassign(session_id)
            reassign.start.team = team
            reassign.start.assignee = None
            reassign.start.reason = "Billing question"
            with Transaction().set_context(
                    active_model=Ticket.__name__, active_id=ticket.id,
                    active_ids=[ticket.id]):
                reassign.transition_reassign()
        self.assertEqual(ticket.team, team)
        self.assertIsNone(ticket.assignee)

    @with_transaction()
    def test_escalation_notifies_leader(self):
        "The escalation cron tells the team leader once about overdue tickets"
        pool = Pool()
        Ticket = pool.get('callcenter.ticket')
        Notification = pool.get('res.notification')
        company = create_company()
        with set_company(company):
            leader = create_user('leader', company, 'group_team_leader')
            team = create_team("Team A", leader)
            ticket = create_ticket(create_type(response=1), team=team.id)
            with frozen_now(at(9, days=3)):
                Ticket.submit([ticket])
            with frozen_now(at(12, days=3)):
                self.assertEqual(Ticket.escalate_overdue(), [ticket])
                self.assertEqual(Ticket.escalate_overdue(), [])
        self.assertTrue(ticket.escalated)
        self.assertEqual(
            Notification.search_count([('user', '=', leader.id)]), 1)

    @with_transaction()
    def test_forward_email_reaches_smtp_server(self):
        "Forwarding a ticket emails the agent through the SMTP server"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        transaction = Transaction()
        with set_company(company), smtp_server() as mailbox:
            other = create_user(
                'other', company, 'group_agent', email='other@example.com')
            ticket = create_ticket(
                create_type(), description="The line is dead.")
            Ticket.transfer([ticket], other, None, "Line fault")
            datamanager = transaction.join(SMTPDataManager())
            datamanager.tpc_vote(transaction)
            datamanager.tpc_finish(transaction)
        envelope, = mailbox.messages
        self.assertEqual(envelope.rcpt_tos, ['other@example.com'])
        message = email.message_from_bytes(envelope.content)
        self.assertIn(ticket.number, message['Subject'])
        self.assertIn("Line fault", message.get_payload(decode=True).decode())

    @with_transaction()
    def test_agent_cannot_change_sla_hours(self):
        "SLA lines follow their ticket type's rights: agents only read them"
        pool = Pool()
        SLA = pool.get('callcenter.ticket.type.sla')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            admin = create_user('ccadmin', company, 'group_admin')
            sla, = create_type(response=2).slas
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual(SLA(sla.id).response_hours, 2)
                with self.assertRaises(AccessError):
                    SLA.write([SLA(sla.id)], {'response_hours': 99})
            with Transaction().set_user(admin.id), \
                    Transaction().set_context(_check_access=True):
                SLA.write([SLA(sla.id)], {'response_hours': 4})
            self.assertEqual(SLA(sla.id).response_hours, 4)

    @with_transaction()
    def test_agent_sees_own_and_team_unassigned(self):
        "An agent sees their tickets and the team's unassigned ones only"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            other = create_user('other', company, 'group_agent')
            leader = create_user('leader', company, 'group_team_leader')
            team = create_team("Team A", leader, agent, other)
            type_ = create_type()
            own = create_ticket(type_, assignee=agent.id)
            queued = create_ticket(type_, assignee=None, team=team.id)
            create_ticket(type_, assignee=other.id, team=team.id)
            create_ticket(type_, assignee=None)
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual(
                    set(Ticket.search([])), {own, queued})

    @with_transaction()
    def test_leader_sees_team_tickets(self):
        "A team leader sees every ticket of the team, not other teams'"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            leader = create_user('leader', company, 'group_team_leader')
            other_leader = create_user(
                'other_leader', company, 'group_team_leader')
            team = create_team("Team A", leader, agent)
            other_team = create_team("Team B", other_leader)
            type_ = create_type()
            member = create_ticket(type_, assignee=agent.id, team=team.id)
            create_ticket(type_, assignee=None, team=other_team.id)
            with Transaction().set_user(leader.id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual(Ticket.search([]), [member])

    @with_transaction()
    def test_admin_sees_all_tickets(self):
        "A call-center admin sees every ticket of the company"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            admin = create_user('ccadmin', company, 'group_admin')
            agent = create_user('agent', company, 'group_agent')
            type_ = create_type()
            tickets = [
                create_ticket(type_, assignee=agent.id),
                create_ticket(type_, assignee=None),
                ]
            with Transaction().set_user(admin.id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual(set(Ticket.search([])), set(tickets))

    @with_transaction()
    def test_other_company_tickets_hidden(self):
        "Tickets of another company are hidden even from admins"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        other_company = create_company("Other")
        with set_company(other_company):
            create_ticket(create_type())
        with set_company(company):
            admin = create_user('ccadmin', company, 'group_admin')
            with Transaction().set_user(admin.id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual(Ticket.search([]), [])

    @with_transaction()
    def test_search_key_has_pinyin_and_initials(self):
        "A Chinese name is stored with its pinyin spelling and initials"
        Party = Pool().get('party.party')
        party, = Party.create([{'name': "张三丰"}])
        self.assertEqual(party.search_key, "张三丰 zhangsanfeng zsf")
        Party.write([party], {'name': "李四"})
        self.assertEqual(party.search_key, "李四 lisi ls")

    @with_transaction()
    def test_quick_search_by_pinyin(self):
        "Customers are found by pinyin spelling or initials"
        Party = Pool().get('party.party')
        party, _ = Party.create([{'name': "张三丰"}, {'name': "李四"}])
        self.assertEqual(
            Party.search([('rec_name', 'ilike', '%zhangsan%')]), [party])
        self.assertEqual(
            Party.search([('rec_name', 'ilike', '%ZSF%')]), [party])

    @with_transaction()
    def test_quick_search_by_phone_and_address(self):
        "Customers are found by any phone number or their city"
        Party = Pool().get('party.party')
        party, _ = Party.create([{
                    'name': "Alice",
                    'addresses': [('create', [{'city': "Hangzhou"}])],
                    'contact_mechanisms': [('create', [
                                {'type': 'other', 'value': "+86 571 8888"},
                                {'type': 'mobile', 'value': "+32 470 123456"},
                                ])],
                    }, {'name': "Bob"}])
        self.assertEqual(
            Party.search([('rec_name', 'ilike', '%+32470123456%')]), [party])
        self.assertEqual(
            Party.search([('rec_name', 'ilike', '%hangzhou%')]), [party])

    @with_transaction()
    def test_customer_attributes_stored(self):
        "Custom attributes of the company are stored on the customer"
        pool = Pool()
        Party = pool.get('party.party')
        Attribute = pool.get('callcenter.attribute')
        company = create_company()
        with set_company(company):
            Attribute.create([{
                        'name': 'car_model', 'string': "Car Model",
                        'type_': 'char'}])
            party, = Party.create([{
                        'name': "Carol",
                        'cc_attributes': {'car_model': "Model 3"}}])
        self.assertEqual(party.cc_attributes, {'car_model': "Model 3"})

    @with_transaction()
    def test_required_customer_attribute(self):
        "A customer without a required attribute of the company is refused"
        pool = Pool()
        Party = pool.get('party.party')
        Attribute = pool.get('callcenter.attribute')
        company = create_company()
        with set_company(company):
            Attribute.create([{
                        'name': 'card_level', 'string': "Card Level",
                        'type_': 'integer', 'required': True}])
            with self.assertRaises(UserError):
                Party.create([{'name': "Dan", 'cc_attributes': {}}])
            Party.create([{'name': "Dan", 'cc_attributes': {'card_level': 2}}])

    @with_transaction()
    def test_required_ticket_type_field(self):
        "A ticket missing a required extra field of its type is refused"
        Attribute = Pool().get('callcenter.attribute')
        company = create_company()
        with set_company(company):
            type_ = create_type()
            Attribute.create([{
                        'name': 'order_no', 'string': "Order Number",
                        'type_': 'char', 'usage': 'ticket', 'required': True,
                        'ticket_types': [('add', [type_.id])]}])
            with self.assertRaises(UserError):
                create_ticket(type_)
            ticket = create_ticket(type_, attributes={'order_no': "SO42"})
        self.assertEqual(ticket.attributes, {'order_no': "SO42"})

    @with_transaction()
    def test_customer_groups(self):
        "A customer group lists its members and the customer its groups"
        pool = Pool()
        Party = pool.get('party.party')
        Group = pool.get('callcenter.customer.group')
        company = create_company()
        with set_company(company):
            party, = Party.create([{'name': "Eve"}])
            group, = Group.create([{
                        'name': "Gold card",
                        'members': [('add', [party.id])]}])
        self.assertEqual(list(party.customer_groups), [group])


del ModuleTestCase
