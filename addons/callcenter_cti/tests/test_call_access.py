"Calls as the agents read them, with their record rules on."
import contextlib
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import (
    T0, create_agent, create_party, create_server, inbound_events,
    set_phone_country)

CALLER = '+8613800138000'


@contextlib.contextmanager
def as_agent(agent):
    "The agent's own rights, as the web client has them."
    transaction = Transaction()
    with transaction.set_user(agent.user.id), \
            transaction.set_context(_check_access=True):
        yield


def transferred_events(linkedid, first='1001', second='1002'):
    """An inbound call answered by ``first``, blind transferred to
    ``second``, who talks until the caller hangs up."""
    events = inbound_events(linkedid=linkedid, caller=CALLER,
        extension=first)[:-3]
    leg = linkedid + '2'
    return events + [
        {'kind': 'transfer', 'uniqueid': linkedid, 'linkedid': linkedid,
            'target': second, 'time': T0 + 30},
        {'kind': 'hangup', 'uniqueid': linkedid + '1', 'linkedid': linkedid,
            'cause': 16, 'time': T0 + 30},
        {'kind': 'channel_created', 'uniqueid': leg, 'linkedid': linkedid,
            'channel': f'PJSIP/{second}-00000003',
            'interface': f'PJSIP/{second}', 'caller': CALLER,
            'callee': second, 'time': T0 + 30},
        {'kind': 'ringing', 'uniqueid': leg, 'linkedid': linkedid,
            'time': T0 + 30},
        {'kind': 'answered', 'uniqueid': leg, 'linkedid': linkedid,
            'time': T0 + 33},
        ]


class CallAccessTestCase(unittest.TestCase):
    "Test the calls an agent may read"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_cti')

    @with_transaction()
    def test_recent_calls_of_customer_served_by_another_agent(self):
        """The panel of agent2's call opens on a customer agent1 served:
        the recent calls are those agent2 may read"""
        Call = Pool().get('callcenter.call')
        set_phone_country()
        server = create_server()
        create_agent(server, 'agent1', '1001')
        agent2 = create_agent(server, 'agent2', '1002')
        create_party("Zhang", CALLER)
        Call.register_events(server.id, inbound_events(
                linkedid='1700000000.1', caller=CALLER, extension='1001'))
        own, = Call.register_events(server.id, inbound_events(
                linkedid='1700000000.2', caller=CALLER, extension='1002'))
        current, = Call.register_events(server.id, inbound_events(
                linkedid='1700000000.3', caller=CALLER, extension='1002'))
        with as_agent(agent2):
            call, = Call.read([current], ['recent_calls'])
            self.assertEqual(list(call['recent_calls']), [own])
            Call.read(call['recent_calls'], ['rec_name', 'agent'])

    @with_transaction()
    def test_transferred_call_readable_by_target(self):
        "The agent a call was transferred to opens it from the panel"
        Call = Pool().get('callcenter.call')
        server = create_server()
        agent1 = create_agent(server, 'agent1', '1001')
        agent2 = create_agent(server, 'agent2', '1002')
        call_id, = Call.register_events(
            server.id, transferred_events('1700000000.5'))
        self.assertEqual(Call(call_id).agent, agent1)
        with as_agent(agent2):
            self.assertEqual([c.id for c in Call.search([])], [call_id])
            call, = Call.read([call_id], ['number', 'legs'])
            self.assertEqual(call['number'], CALLER)
