"The ticket pop: a new ticket of the agent's preferred type with the call."
import unittest

from trytond.modules.callcenter_cti.tests.tools import (
    create_agent, create_party, create_server, inbound_events,
    set_phone_country)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .tools import create_ticket, create_type


def pop_tabs(agent, caller='+8613800138000'):
    "The call ringing at ``agent`` and the tabs its pop opens."
    Call = Pool().get('callcenter.call')
    call, = Call.browse(Call.register_events(
            agent.server.id, inbound_events(caller=caller)))
    return call, Call._screen_pop_message(call, 'ring', agent)['open']


class TicketPopTestCase(unittest.TestCase):
    "Test the ticket pop"

    @classmethod
    def setUpClass(cls):
        activate_module(['callcenter_ticket', 'callcenter_cti'])

    @with_transaction()
    def test_preferred_type_pops_ticket(self):
        "A new ticket of the preferred type with the customer opens last"
        company = create_company()
        with set_company(company):
            set_phone_country()
            type_ = create_type("Complaint")
            agent = create_agent(create_server(), 'agent1', '1001')
            agent.user.callcenter_ticket_type = type_
            agent.user.save()
            party = create_party("Zhang", '+86 138 0013 8000')
            call, tabs = pop_tabs(agent)
        self.assertEqual([t['model'] for t in tabs],
            ['party.party', 'callcenter.call', 'callcenter.ticket'])
        self.assertEqual(tabs[-1], {
                'model': 'callcenter.ticket', 'mode': ['form'],
                'context': {
                    'default_call': call.id, 'default_channel': 'phone',
                    'default_type': type_.id, 'default_party': party.id}})

    @with_transaction()
    def test_no_preference_no_ticket(self):
        "Without a preferred type nor the ticket pop, no ticket opens"
        company = create_company()
        with set_company(company):
            agent = create_agent(create_server(), 'agent1', '1001')
            _, tabs = pop_tabs(agent)
        self.assertNotIn('callcenter.ticket', [t['model'] for t in tabs])

    @with_transaction()
    def test_ticket_pop_setting_without_type(self):
        "The agent's ticket screen pop opens a ticket with the customer"
        company = create_company()
        with set_company(company):
            agent = create_agent(create_server(), 'agent1', '1001')
            agent.preferred_pop = 'ticket'
            agent.save()
            _, tabs = pop_tabs(agent)
        self.assertEqual(tabs[-1]['model'], 'callcenter.ticket')
        self.assertNotIn('default_type', tabs[-1]['context'])

    @with_transaction()
    def test_ticket_linked_to_call(self):
        "A ticket saved from the pop is listed on its call"
        company = create_company()
        with set_company(company):
            agent = create_agent(create_server(), 'agent1', '1001')
            call, _ = pop_tabs(agent)
            ticket = create_ticket(create_type(), call=call.id)
            self.assertEqual(list(call.tickets), [ticket])
            copy, = ticket.copy([ticket])
            self.assertIsNone(copy.call)
