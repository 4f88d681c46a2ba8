"""Agent state messages carry an order the phone bar can trust: the bus
delivers the messages of one commit in any order."""
import unittest
from unittest import mock

from trytond.bus import Bus
from trytond.modules.callcenter_cti.bridge.bridge import _apply
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .tools import T0, create_agent, create_server, inbound_events


def _published():
    "Patch the bus; the (channel, message) published, in order."
    sent = []
    patch = mock.patch.object(Bus, 'publish',
        side_effect=lambda channel, message: sent.append((channel, message)))
    return patch, sent


class AgentOrderTestCase(unittest.TestCase):
    "Test the order of agent state messages"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_cti')

    @with_transaction()
    def test_wrap_up_then_ready_in_one_commit(self):
        """Wrap-up and ready stamped alike in one bridge batch: sorted by
        their ``seq`` the last one is ready, on both channels"""
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        patch, sent = _published()
        with patch:
            _apply(Pool(), server.id, [
                    ('events', inbound_events(extension='1001')),
                    ('states', [{'interface': 'PJSIP/1001',
                                'state': 'ready', 'time': T0 + 75}]),
                    ])
        for channel in (f'user:{agent.user.id}', 'callcenter.agent_states'):
            with self.subTest(channel=channel):
                states = [m for c, m in sent if c == channel
                    and m['type'] == 'callcenter.agent_state']
                ordered = sorted(states, key=lambda m: m['seq'])
                self.assertEqual(ordered[-1]['state'], 'ready')
                self.assertEqual(len({tuple(m['seq']) for m in states}),
                    len(states))
        own = [m['state'] for c, m in sent if c == f'user:{agent.user.id}'
            and m['type'] == 'callcenter.agent_state']
        self.assertEqual(own[-2:], ['wrap_up', 'ready'])
