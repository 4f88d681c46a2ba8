"The popped-call panel: recent calls, associate, re-link, the pop's tabs."
import unittest

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import (
    create_agent, create_party, create_server, inbound_events,
    set_phone_country)


def ring(server, linkedid, caller='+8613800138000'):
    Call = Pool().get('callcenter.call')
    call, = Call.browse(Call.register_events(server.id, inbound_events(
                linkedid=linkedid, caller=caller)))
    return call


def run_relink(call, **values):
    Relink = Pool().get('callcenter.call.relink', type='wizard')
    session_id, _, _ = Relink.create()
    with Transaction().set_context(active_model='callcenter.call',
            active_id=call.id, active_ids=[call.id]):
        start = Relink.execute(session_id, {}, 'start')
        defaults = {k: v for k, v in start['view']['defaults'].items()
            if '.' not in k}
        data = {'start': {**defaults, **values}}
        Relink.execute(session_id, data, 'relink')
    Relink.delete(session_id)


class CallPanelTestCase(unittest.TestCase):
    "Test the popped-call panel"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_cti')


    @with_transaction()
    def test_recent_calls_of_customer(self):
        "The panel lists the customer's other calls, latest first, at most 10"
        set_phone_country()
        server = create_server()
        create_agent(server, 'agent1', '1001')
        create_party("Zhang", '+86 138 0013 8000')
        # Two digits: the agent leg of .1 (.11) is not call .11's origin.
        calls = [ring(server, f'1700000000.{i:02d}') for i in range(1, 13)]
        current = calls[-1]
        self.assertEqual(len(current.recent_calls), 10)
        self.assertNotIn(current, current.recent_calls)
        self.assertTrue(all(c.party == current.party
                for c in current.recent_calls))

    @with_transaction()
    def test_recent_calls_of_unknown_number(self):
        "Without a customer the panel lists the calls of the same number"
        server = create_server()
        create_agent(server, 'agent1', '1001')
        first = ring(server, '1700000000.1', caller='13912345678')
        other = ring(server, '1700000000.2', caller='13900000000')
        current = ring(server, '1700000000.3', caller='13912345678')
        self.assertIsNone(current.party)
        self.assertEqual(list(current.recent_calls), [first])
        self.assertEqual(list(other.recent_calls), [])

    @with_transaction()
    def test_associate_number_with_customer(self):
        "Associating adds the number to the customer; the next call pops them"
        Call = Pool().get('callcenter.call')
        set_phone_country()
        server = create_server()
        create_agent(server, 'agent1', '1001')
        party = create_party("Li", '+86 139 0000 0000')
        call = ring(server, '1700000000.1', caller='13800138000')
        call.party = party
        call.save()
        Call.associate_number([call])
        self.assertEqual(
            sorted(m.value_compact for m in party.contact_mechanisms),
            ['+8613800138000', '+8613900000000'])
        self.assertEqual(ring(server, '1700000000.2',
                caller='13800138000').party, party)

    @with_transaction()
    def test_relink_wizard_to_other_customer(self):
        "The re-link wizard moves the call to the chosen customer"
        set_phone_country()
        server = create_server()
        create_agent(server, 'agent1', '1001')
        first = create_party("First", '+86 138 0013 8000')
        second = create_party("Second", '+86 139 1111 1111')
        call = ring(server, '1700000000.1')
        self.assertEqual(call.party, first)
        run_relink(call, party=second.id)
        self.assertEqual(call.party, second)

    @with_transaction()
    def test_relink_wizard_to_new_customer(self):
        "The re-link wizard creates a customer having the call's number"
        Call = Pool().get('callcenter.call')
        set_phone_country()
        server = create_server()
        create_agent(server, 'agent1', '1001')
        call = ring(server, '1700000000.1', caller='13800138000')
        self.assertIsNone(call.party)
        run_relink(call, party=None, new_name="王新")
        self.assertEqual(call.party.name, "王新")
        self.assertEqual(Call.match_number('+8613800138000'),
            [call.party.id])

    @with_transaction()
    def test_relink_wizard_needs_customer(self):
        "Re-linking to nobody is refused with the call named"
        server = create_server()
        create_agent(server, 'agent1', '1001')
        call = ring(server, '1700000000.1', caller='13800138000')
        with self.assertRaises(UserError) as cm:
            run_relink(call, party=None, new_name=None)
        self.assertIn(call.rec_name, cm.exception.message)

    @with_transaction()
    def test_pop_opens_customer_then_panel(self):
        "The pop opens the customer first, then the call panel, no ticket"
        pool = Pool()
        Call = pool.get('callcenter.call')
        ModelData = pool.get('ir.model.data')
        set_phone_country()
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        party = create_party("Zhang", '+86 138 0013 8000')
        call = ring(server, '1700000000.1')
        tabs = Call._screen_pop_message(call, 'ring', agent)['open']
        values = tabs[0].pop('values')
        self.assertEqual(values['name'], "Zhang")
        self.assertEqual(tabs, [
                {'model': 'party.party', 'res_id': party.id,
                    'mode': ['form'], 'view_ids': [ModelData.get_id(
                            'callcenter_cti', 'party_view_form_pop')]},
                {'model': 'callcenter.call', 'res_id': call.id,
                    'mode': ['form'], 'name': '+8613800138000',
                    'view_ids': [ModelData.get_id(
                            'callcenter_cti', 'call_view_form_panel')]},
                ])

    @with_transaction()
    def test_pop_carries_customer_card(self):
        "The customer's tab carries what the card shows, sub-lists as ids"
        Call = Pool().get('callcenter.call')
        set_phone_country()
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        party = create_party("Zhang", '+86 138 0013 8000')
        call = ring(server, '1700000000.1')
        customer, _ = Call._screen_pop_message(call, 'ring', agent)['open']
        values = customer['values']
        self.assertEqual(values['id'], party.id)
        self.assertEqual(values['rec_name'], "Zhang")
        self.assertEqual(list(values['contact_mechanisms']),
            [m.id for m in party.contact_mechanisms])
        self.assertIn(call.id, values['calls'])
        self.assertTrue(values['_timestamp'])

    @with_transaction()
    def test_pop_unknown_caller_new_customer(self):
        "An unknown caller pops a new customer form with the number"
        Call = Pool().get('callcenter.call')
        set_phone_country()
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        call = ring(server, '1700000000.1', caller='13912345678')
        customer, panel = Call._screen_pop_message(call, 'ring', agent)['open']
        self.assertEqual(customer['context']['default_contact_mechanisms'],
            [{'type': 'mobile', 'value': '+8613912345678'}])
        self.assertEqual(panel['res_id'], call.id)
