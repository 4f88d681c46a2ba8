"""A bridge transaction holding many calls' events (and agent state
changes between them) gives the same call log, legs and agent state log as
the same events registered one at a time."""
import unittest

from trytond.modules.callcenter_cti.bridge.bridge import _apply
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .tools import T0, create_agent, create_server, inbound_events

CALLS = 12


def _calls_and_states(prefix, extensions):
    """The bridge items of ``CALLS`` calls in turn on the agents, each
    agent made ready again after its wrap-up."""
    items = []
    for i in range(CALLS):
        extension = extensions[i % len(extensions)]
        shift = 40 * i
        events = [{**e, 'time': e['time'] + shift} for e in inbound_events(
                linkedid=f'{prefix}.{i:02d}', caller=f'+86138{i:08d}',
                extension=extension, answered=i % 4 != 3)]
        items.append(('events', events))
        items.append(('states', [{'interface': f'PJSIP/{extension}',
                        'state': 'ready', 'time': T0 + shift + 90}]))
    return items


def _log(server_id, prefix, extensions):
    "The call log and the agents' state logs, without ids."
    pool = Pool()
    Call = pool.get('callcenter.call')
    Agent = pool.get('callcenter.agent')
    State = pool.get('callcenter.agent.state')
    calls = [(c.linkedid.split('.', 1)[1], c.state, c.disposition,
            c.start_at, c.ring_at, c.answer_at, c.hangup_at,
            extensions.index(c.agent.extension) if c.agent else None,
            c.queue.name if c.queue else None, c.ivr_digits, c.handling,
            sorted((leg.uniqueid.split('.', 1)[1], leg.created_at,
                    leg.ring_at, leg.answer_at, leg.hangup_at,
                    leg.hangup_cause, bool(leg.agent)) for leg in c.legs))
        for c in Call.search([('server', '=', server_id),
                ('linkedid', 'like', f'{prefix}.%')], order=[('id', 'ASC')])]
    agents = []
    for extension in extensions:
        agent, = Agent.search([('extension', '=', extension)])
        agents.append((agent.state, agent.state_since, [
                    (s.state, s.start, s.end) for s in State.search(
                        [('agent', '=', agent.id)],
                        order=[('start', 'ASC'), ('id', 'ASC')])]))
    return calls, agents


class EventBatchTestCase(unittest.TestCase):
    "Events batched by the bridge"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_cti')

    @with_transaction()
    def test_burst_in_one_batch_as_one_at_a_time(self):
        "Many calls' events in one transaction log as one event at a time"
        pool = Pool()
        Call = pool.get('callcenter.call')
        Agent = pool.get('callcenter.agent')
        server = create_server()
        one, batched = ['1001', '1002'], ['2001', '2002']
        for extension in one + batched:
            create_agent(server, f'agent{extension}', extension)
        for kind, payload in _calls_and_states('one', one):
            for item in payload:
                if kind == 'events':
                    Call.register_events(server.id, [item])
                else:
                    Agent.set_states([{**item, 'server': server.id}])
        _apply(pool, server.id, _calls_and_states('batch', batched))
        expected = _log(server.id, 'one', one)
        self.assertEqual(len(expected[0]), CALLS)
        self.assertEqual(_log(server.id, 'batch', batched), expected)
        # and a replay of the whole batch changes nothing
        _apply(pool, server.id, _calls_and_states('batch', batched))
        self.assertEqual(_log(server.id, 'batch', batched), expected)

    @with_transaction()
    def test_calls_after_a_resync_in_the_same_batch(self):
        "Calls started after a resync, in its transaction, are not hung up"
        pool = Pool()
        Call = pool.get('callcenter.call')
        server = create_server()
        create_agent(server, 'agent3001', '3001')
        events = inbound_events(linkedid=f'{T0:.0f}.7', extension='3001')
        _apply(pool, server.id, [('sync', ([], T0)), ('events', events)])
        call, = Call.search([('linkedid', '=', f'{T0:.0f}.7')])
        self.assertEqual(call.disposition, 'answered')
        self.assertEqual(call.talk_duration.total_seconds(), 60)
        self.assertTrue(all(leg.hangup_cause for leg in call.legs))
