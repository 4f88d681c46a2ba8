import datetime as dt
import os
import json
import tempfile

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.callcenter_base.tests.test_module import create_user
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from trytond.modules.callcenter_base import phone
from .tools import (
    T0, at, create_agent, create_party, create_server, inbound_events,
    set_phone_country)


class CallCenterCtiTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Call Center CTI module"
    module = 'callcenter_cti'

    @with_transaction()
    def test_pbx_server_defaults_to_local_manager(self):
        "A new PBX server points at the local manager interface"
        Server = Pool().get('callcenter.pbx.server')
        server, = Server.create([{'name': "Main", 'username': 'bridge'}])
        self.assertEqual((server.host, server.port), ('127.0.0.1', 5038))
        self.assertEqual(server.link_state, 'unknown')

    def test_normalize(self):
        "Numbers normalise to E.164 without extension, with an 8-digit tail"
        cases = {
            '+86 138 0013 8000': '+8613800138000',
            '13800138000': '+8613800138000',
            '008613800138000': '+8613800138000',
            '010 1234 5678': '+861012345678',
            '+86 10 1234 5678 ext. 33': '+861012345678',
            '+32 2 555 12 34': '+3225551234',
            '1001': '1001',
            }
        for number, key in cases.items():
            with self.subTest(number=number):
                self.assertEqual(phone.normalize(number, 'CN'), key)
        self.assertEqual(phone.tail('+861012345678'), '12345678')
        self.assertIsNone(phone.tail('1001'))

    @with_transaction()
    def test_contact_mechanism_keys_maintained(self):
        "Phone keys are set on create and follow writes of the value"
        Mechanism = Pool().get('party.contact_mechanism')
        set_phone_country()
        party = create_party("Wang", '+86 138 0013 8000')
        mechanism, = party.contact_mechanisms
        self.assertEqual(mechanism.phone_key, '+8613800138000')
        self.assertEqual(mechanism.phone_tail, '00138000')
        Mechanism.write([mechanism], {'value': '+86 10 8765 4321'})
        self.assertEqual(mechanism.phone_key, '+861087654321')
        Mechanism.write([mechanism], {'type': 'email', 'value': 'a@b.cn'})
        self.assertIsNone(mechanism.phone_key)

    @with_transaction()
    def test_migration_fills_missing_keys(self):
        "Registering the module fills the keys of numbers stored before"
        Mechanism = Pool().get('party.contact_mechanism')
        set_phone_country()
        party = create_party("Li", '+86 21 1234 5678', type_='phone')
        table = Mechanism.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.phone_key, table.phone_tail], [None, None]))
        Mechanism._migrate_phone_keys()
        mechanism, = Mechanism.browse(party.contact_mechanisms)
        self.assertEqual(
            (mechanism.phone_key, mechanism.phone_tail),
            ('+862112345678', '12345678'))

    @with_transaction()
    def test_match_number_formats(self):
        "Callers match in E.164, national, international or local format"
        Call = Pool().get('callcenter.call')
        set_phone_country()
        mobile = create_party("Zhang", '+86 138 0013 8000')
        landline = create_party("Acme Ltd", '+86 10 1234 5678', type_='phone')
        create_party("Other", '+86 21 1234 5678', type_='fax')
        for number in ['+8613800138000', '13800138000', '008613800138000',
                '138-0013-8000']:
            with self.subTest(number=number):
                self.assertEqual(Call.match_number(number), [mobile.id])
        self.assertEqual(Call.match_number('01012345678'), [landline.id])
        self.assertEqual(Call.match_number('+86 10 1234 5678 #12'),
            [landline.id])

    @with_transaction()
    def test_match_number_tail_fallback(self):
        "A local number without prefix matches on the last digits only"
        Call = Pool().get('callcenter.call')
        set_phone_country()
        beijing = create_party("Beijing", '+86 10 1234 5678', type_='phone')
        shanghai = create_party("Shanghai", '+86 21 1234 5678', type_='phone')
        self.assertEqual(
            Call.match_number('12345678'), [beijing.id, shanghai.id])
        self.assertEqual(Call.match_number('+8612345678'), [])
        self.assertEqual(Call.match_number('02012345678'), [])
        self.assertEqual(Call.match_number('5678'), [])

    @with_transaction()
    def test_match_number_several_and_inactive(self):
        "A shared number matches every active customer who has it"
        pool = Pool()
        Call = pool.get('callcenter.call')
        Party = pool.get('party.party')
        set_phone_country()
        company = create_party("Acme Ltd", '+86 10 1234 5678', type_='phone')
        contact = create_party("Acme buyer", '+86 (10) 1234-5678', type_='phone')
        gone = create_party("Gone", '+86 10 1234 5678', type_='phone')
        Party.write([gone], {'active': False})
        self.assertEqual(
            Call.match_number('+861012345678'), [company.id, contact.id])

    @with_transaction()
    def test_tail_digits_setting_recomputes(self):
        "Changing the number of matched digits recomputes every tail"
        pool = Pool()
        Configuration = pool.get('callcenter.configuration')
        Call = pool.get('callcenter.call')
        set_phone_country()
        party = create_party("Wu", '+86 10 1234 5678', type_='phone')
        Configuration.write([Configuration(1)], {'phone_tail_digits': 6})
        mechanism, = party.contact_mechanisms
        self.assertEqual(mechanism.phone_tail, '345678')
        self.assertEqual(Call.match_number('345678'), [party.id])

    @with_transaction()
    def test_events_are_idempotent(self):
        "Replaying the events of a call creates nothing and moves no time"
        pool = Pool()
        Call = pool.get('callcenter.call')
        Leg = pool.get('callcenter.call.leg')
        State = pool.get('callcenter.agent.state')
        set_phone_country()
        party = create_party("Zhang", '+86 138 0013 8000')
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        events = inbound_events()
        first = Call.register_events(server.id, events)
        call, = Call.browse(first)
        times = (call.start_at, call.ring_at, call.answer_at, call.hangup_at)
        states = len(State.search([('agent', '=', agent.id)]))
        again = Call.register_events(server.id, events)
        self.assertEqual(again, first)
        self.assertEqual(Call.search([]), [call])
        self.assertEqual(len(Leg.search([('call', '=', call.id)])), 2)
        call = Call(call.id)
        self.assertEqual(
            (call.start_at, call.ring_at, call.answer_at, call.hangup_at),
            times)
        self.assertEqual(times, (at(0), at(6), at(15), at(75)))
        self.assertEqual(len(State.search([('agent', '=', agent.id)])), states)
        self.assertEqual((call.party, call.agent), (party, agent))

    @with_transaction()
    def test_answered_call(self):
        "An answered queue call has its wait, talk, queue, IVR and agent"
        Call = Pool().get('callcenter.call')
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        call, = Call.browse(Call.register_events(server.id, inbound_events()))
        self.assertEqual(call.direction, 'inbound')
        self.assertEqual(call.disposition, 'answered')
        self.assertEqual(call.state, 'ended')
        self.assertEqual(call.wait_duration, dt.timedelta(seconds=10))
        self.assertEqual(call.talk_duration, dt.timedelta(seconds=60))
        self.assertEqual((call.queue.name, call.ivr_digits), ('support', '2'))
        self.assertEqual((call.agent, call.trunk), (agent, 'trunk'))
        self.assertIsNone(call.handling)
        self.assertEqual(agent.state, 'wrap_up')

    @with_transaction()
    def test_abandoned_call(self):
        "A caller who hangs up in the queue is abandoned, to be handled"
        Call = Pool().get('callcenter.call')
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        call, = Call.browse(Call.register_events(
                server.id, inbound_events(answered=False)))
        self.assertEqual(call.disposition, 'abandoned')
        self.assertEqual(call.handling, 'new')
        self.assertEqual(call.wait_duration, dt.timedelta(seconds=30))
        self.assertIsNone(call.talk_duration)
        self.assertIsNone(call.agent)
        self.assertEqual(agent.state, 'ready')

    @with_transaction()
    def test_voicemail_call(self):
        "A call that ends in a mailbox is voicemail, with its recording"
        Call = Pool().get('callcenter.call')
        server = create_server()
        events = [
            {'kind': 'channel_created', 'uniqueid': 'v.1', 'linkedid': 'v.1',
                'caller': '+3225551234', 'callee': '4000', 'time': T0},
            {'kind': 'answered', 'uniqueid': 'v.1', 'time': T0 + 2},
            {'kind': 'voicemail', 'uniqueid': 'v.1', 'mailbox': '4000',
                'time': T0 + 3},
            {'kind': 'recording', 'uniqueid': 'v.1',
                'filename': '/var/spool/msg0000.wav',
                'data': 'UklGRg==', 'time': T0 + 3},
            {'kind': 'hangup', 'uniqueid': 'v.1', 'cause': 16,
                'time': T0 + 23},
            ]
        call, = Call.browse(Call.register_events(server.id, events))
        self.assertEqual(call.disposition, 'voicemail')
        self.assertEqual((call.voicemail_box, call.handling), ('4000', 'new'))
        self.assertEqual(call.wait_duration, dt.timedelta(seconds=23))
        self.assertIsNone(call.talk_duration)
        self.assertEqual(bytes(call.recording), b'RIFF')
        self.assertEqual(call.recording_name, 'msg0000.wav')
        self.assertEqual(Call.search([('disposition', '=', 'voicemail')]),
            [call])

    @with_transaction()
    def test_expired_recordings_deleted(self):
        "Recordings older than the retention setting go; the calls stay"
        pool = Pool()
        Call = pool.get('callcenter.call')
        Configuration = pool.get('callcenter.configuration')
        server = create_server()
        now = dt.datetime.now().timestamp()

        def voicemail(uniqueid, start, path):
            return Call.browse(Call.register_events(server.id, [
                        {'kind': 'channel_created', 'uniqueid': uniqueid,
                            'linkedid': uniqueid, 'caller': '+3225551234',
                            'callee': '4000', 'time': start},
                        {'kind': 'recording', 'uniqueid': uniqueid,
                            'filename': path, 'data': 'UklGRg==',
                            'time': start + 3},
                        {'kind': 'hangup', 'uniqueid': uniqueid, 'cause': 16,
                            'time': start + 20},
                        ]))[0]
        with tempfile.TemporaryDirectory() as spool:
            old_file = os.path.join(spool, 'old.wav')
            with open(old_file, 'wb') as file:
                file.write(b'RIFF')
            old = voicemail('r.1', now - 31 * 86400, old_file)
            recent = voicemail('r.2', now - 29 * 86400,
                os.path.join(spool, 'recent.wav'))

            self.assertEqual(Call.delete_expired_recordings(), 0)
            self.assertTrue(os.path.exists(old_file))

            Configuration.write([Configuration(1)], {
                    'recording_retention_days': 30})
            self.assertEqual(Call.delete_expired_recordings(), 1)
            self.assertFalse(os.path.exists(old_file))

        old, recent = Call.browse([old.id, recent.id])
        self.assertIsNone(old.recording)
        self.assertIsNotNone(old.recording_deleted_at)
        self.assertIsNotNone(old.hangup_at)
        self.assertEqual(bytes(recent.recording), b'RIFF')
        self.assertIsNone(recent.recording_deleted_at)
        self.assertEqual(Call.delete_expired_recordings(), 0)

    @with_transaction()
    def test_busy_outbound_call(self):
        "An outbound call to a busy number is busy and not to handle"
        Call = Pool().get('callcenter.call')
        server = create_server()
        create_agent(server, 'agent1', '1001')
        events = [
            {'kind': 'channel_created', 'uniqueid': 'o.1', 'linkedid': 'o.1',
                'channel': 'PJSIP/1001-01', 'interface': 'PJSIP/1001',
                'caller': '1001',
                'callee': '13800138000', 'time': T0},
            {'kind': 'answered', 'uniqueid': 'o.1', 'time': T0 + 2},
            {'kind': 'channel_created', 'uniqueid': 'o.2', 'linkedid': 'o.1',
                'channel': 'PJSIP/trunk-02', 'interface': 'PJSIP/trunk',
                'time': T0 + 2},
            {'kind': 'hangup', 'uniqueid': 'o.2', 'cause': 17,
                'time': T0 + 4},
            {'kind': 'hangup', 'uniqueid': 'o.1', 'cause': 16,
                'time': T0 + 5},
            ]
        call, = Call.browse(Call.register_events(server.id, events))
        self.assertEqual(call.direction, 'outbound')
        self.assertEqual(call.number, '13800138000')
        self.assertEqual(call.disposition, 'busy')
        self.assertIsNone(call.handling)

    @with_transaction()
    def test_agent_state_log(self):
        "Each state change closes the open log row and opens a new one"
        pool = Pool()
        Agent = pool.get('callcenter.agent')
        State = pool.get('callcenter.agent.state')
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        changed = Agent.set_states([
                {'interface': 'PJSIP/1001', 'server': server.id,
                    'state': 'ready', 'time': T0},
                {'interface': 'PJSIP/1001', 'state': 'not_ready',
                    'reason': 'lunch', 'time': T0 + 60},
                {'agent': agent.id, 'state': 'not_ready', 'reason': 'lunch',
                    'time': T0 + 61},
                {'interface': 'PJSIP/1001', 'state': 'ready',
                    'time': T0 + 30},
                {'interface': 'PJSIP/9999', 'state': 'ready', 'time': T0},
                ])
        self.assertEqual(changed, [agent.id, agent.id])
        ready, lunch = State.search(
            [('agent', '=', agent.id)], order=[('start', 'ASC')])
        self.assertEqual((ready.state, ready.start, ready.end),
            ('ready', at(0), at(60)))
        self.assertEqual((lunch.state, lunch.reason, lunch.start, lunch.end),
            ('not_ready', 'lunch', at(60), None))
        self.assertEqual(
            (agent.state, agent.state_reason, agent.state_since),
            ('not_ready', 'lunch', at(60)))

    @with_transaction()
    def test_screen_pop_message(self):
        "The pop goes to the agent's own channel with the call's details"
        Call = Pool().get('callcenter.call')
        set_phone_country()
        first = create_party("Zhang", '+86 138 0013 8000')
        second = create_party("Zhang Jr", '+86 13800138000')
        server = create_server()
        agent = create_agent(server, 'agent1', '1001')
        call, = Call.browse(Call.register_events(server.id, inbound_events()))
        message = Call._screen_pop_message(call, 'ring')
        self.assertEqual(message, {
                'type': 'callcenter.screen_pop', 'call': call.id,
                'event': 'ring', 'number': '+8613800138000',
                'direction': 'inbound', 'party': None,
                'parties': [first.id, second.id], 'queue': 'support',
                'ivr': '2', 'purpose': None, 'pop': 'customer',
                'open': message['open']})
        self.assertEqual([t['model'] for t in message['open']],
            ['party.party', 'callcenter.call'])
        self.assertEqual(
            Call._screen_pop(call, agent, 'answer'), f'user:{agent.user.id}')

    @with_transaction()
    def test_unknown_caller_created_when_set(self):
        "With the setting on, an unknown caller becomes a customer"
        Call = Pool().get('callcenter.call')
        server = create_server()
        create_agent(server, 'agent1', '1001')
        set_phone_country(create_unknown_callers=True)
        call, = Call.browse(Call.register_events(server.id, inbound_events(
                    caller='13900139000')))
        self.assertEqual(call.party.name, '+8613900139000')
        self.assertEqual(call.party.first_call_at, at(0))
        self.assertEqual(Call.match_number('13900139000'), [call.party.id])

    @with_transaction()
    def test_associate_number_and_relink(self):
        "Associating the number makes the next call match the customer"
        Call = Pool().get('callcenter.call')
        set_phone_country()
        server = create_server()
        create_agent(server, 'agent1', '1001')
        party = create_party("Known", '+86 139 0000 0000')
        other = create_party("Other", '+86 139 1111 1111')
        call, = Call.browse(Call.register_events(server.id, inbound_events(
                    caller='13800138000')))
        self.assertIsNone(call.party)
        with self.assertRaises(UserError):
            Call.associate_number([call])
        Call.associate_number([call], party.id)
        self.assertEqual(call.party, party)
        self.assertEqual(Call.match_number('+8613800138000'), [party.id])
        Call.relink([call], other.id)
        self.assertEqual(call.party, other)

    @with_transaction()
    def test_sync_active_closes_stale_calls(self):
        "A resync keeps the calls still up and closes the vanished ones"
        Call = Pool().get('callcenter.call')
        server = create_server()
        create_agent(server, 'agent1', '1001')
        events = inbound_events(linkedid='a.1')[:8] + inbound_events(
            linkedid='b.1')[:4]
        answered, queued = Call.browse(Call.register_events(server.id, events))
        result = Call.sync_active(server.id, [
                {'uniqueid': 'b.1', 'linkedid': 'b.1', 'state': 'up',
                    'queue': 'support', 'time': T0 + 500},
                {'uniqueid': 'c.1', 'linkedid': 'c.1', 'state': 'ringing',
                    'caller': '+3225551234', 'time': T0 + 550},
                ], time=T0 + 600)
        self.assertEqual(result['closed'], [answered.id])
        new, = Call.search([('linkedid', '=', 'c.1')])
        self.assertEqual(sorted(result['open']), sorted([queued.id, new.id]))
        answered, queued = Call.browse([answered, queued])
        self.assertEqual((answered.state, answered.disposition),
            ('ended', 'answered'))
        self.assertEqual(answered.hangup_at, at(600))
        self.assertEqual(answered.talk_duration, dt.timedelta(seconds=585))
        self.assertEqual((queued.state, queued.start_at), ('open', at(0)))
        self.assertEqual(new.start_at, at(550))
        again = Call.sync_active(server.id, [], time=T0 + 700)
        self.assertEqual(sorted(again['closed']), sorted([queued.id, new.id]))
        self.assertEqual(Call(queued.id).disposition, 'missed')
        self.assertEqual(Call(answered.id).hangup_at, at(600))

    @with_transaction()
    def test_entry_points_need_admin(self):
        "Only call-center admins may feed the call log"
        Call = Pool().get('callcenter.call')
        server = create_server()
        agent = create_user('agent9', 'group_agent')
        admin = create_user('admin9', 'group_admin')
        with Transaction().set_user(agent.id):
            with self.assertRaises(AccessError):
                Call.register_events(server.id, inbound_events())
        with Transaction().set_user(admin.id):
            self.assertEqual(
                len(Call.register_events(server.id, inbound_events())), 1)

    @with_transaction()
    def test_record_rules(self):
        "Agents see their calls, leaders their team's, QA all"
        pool = Pool()
        Call = pool.get('callcenter.call')
        Team = pool.get('callcenter.team')
        company = create_company()
        server = create_server()
        agent1 = create_agent(server, 'agent1', '1001')
        agent2 = create_agent(server, 'agent2', '1002')
        agent3 = create_agent(server, 'agent3', '1003')
        leader = create_agent(
            server, 'leader1', '1009', 'group_team_leader')
        qa = create_user('qa1', 'group_qa')
        with set_company(company):
            Team.create([{'name': "A", 'leader': leader.user.id,
                        'members': [('add', [
                                    leader.user.id, agent1.user.id,
                                    agent2.user.id])]}])
        calls = {}
        for agent in [agent1, agent2, agent3]:
            calls[agent.extension], = Call.register_events(
                server.id, inbound_events(
                    linkedid=f'{agent.extension}.1',
                    extension=agent.extension))
        expected = {
            agent1.user: ['1001'],
            agent3.user: ['1003'],
            leader.user: ['1001', '1002'],
            qa: ['1001', '1002', '1003'],
            }
        for user, extensions in expected.items():
            with self.subTest(user=user.login):
                with Transaction().set_user(user.id), \
                        Transaction().set_context(_check_access=True):
                    found = Call.search([])
                    self.assertEqual(
                        sorted(c.id for c in found),
                        sorted(calls[e] for e in extensions))
                    if user != qa:
                        with self.assertRaises(AccessError):
                            Call.read([calls['1003' if user != agent3.user
                                        else '1001']], ['caller'])

    @with_transaction()
    def test_missed_call_visible_to_queue_agents(self):
        "An unanswered queue call is visible to the queue's agents"
        pool = Pool()
        Call = pool.get('callcenter.call')
        Queue = pool.get('callcenter.queue')
        server = create_server()
        support, = Queue.create([{'name': 'support', 'server': server.id}])
        member = create_agent(server, 'agent1', '1001', queues=[support])
        outsider = create_agent(server, 'agent2', '1002')
        call_id, = Call.register_events(
            server.id, inbound_events(answered=False))
        for agent, visible in [(member, [call_id]), (outsider, [])]:
            with Transaction().set_user(agent.user.id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual([c.id for c in Call.search([])], visible)

    @with_transaction()
    def test_call_back(self):
        "Calling back marks the missed call and asks the phone bar to dial"
        Call = Pool().get('callcenter.call')
        server = create_server()
        create_agent(server, 'agent1', '1001')
        call, = Call.browse(Call.register_events(
                server.id, inbound_events(answered=False)))
        self.assertEqual(call._dial_message()['number'], '+8613800138000')
        Call.call_back([call])
        self.assertEqual(call.handling, 'called_back')
        Call.close_handling([call])
        self.assertEqual(call.handling, 'closed')

    def test_state_change_published_at_commit(self):
        "A committed state change reaches a LISTEN connection on the bus"
        uri = os.environ.get('TRYTOND_DATABASE_URI', '')
        if not uri.startswith('postgresql'):
            self.fail("the CTI tests run on PostgreSQL")
        import psycopg
        from trytond.tests.test_tryton import DB_NAME
        from trytond.bus import Bus
        base, _, query = uri.partition('?')
        dsn = base.rstrip('/') + '/' + DB_NAME + ('?' + query if query else '')
        with psycopg.connect(dsn, autocommit=True) as listener:
            listener.execute('LISTEN "%s"' % Bus._channel)
            agent_id, user_id = self._commit_state_change()
            try:
                messages = [json.loads(n.payload)
                    for n in listener.notifies(timeout=5, stop_after=2)]
            finally:
                self._delete_agent(agent_id, user_id)
        # One on the agent's channel, one on the directory's (phone bar).
        self.assertEqual(sorted(m['channel'] for m in messages),
            ['callcenter.agent_states', f'user:{user_id}'])
        message, = [m for m in messages if m['channel'].startswith('user:')]
        self.assertEqual(message['channel'], f'user:{user_id}')
        self.assertEqual(message['message']['type'], 'callcenter.agent_state')
        self.assertEqual(message['message']['state'], 'ready')
        self.assertIn('sent_at', message['message'])

    def _commit_state_change(self):
        from trytond.tests.test_tryton import DB_NAME
        with Transaction().start(DB_NAME, 0) as transaction:
            server = create_server()
            agent = create_agent(server, 'bus_agent', '1077')
            Pool().get('callcenter.agent').set_states([
                    {'agent': agent.id, 'state': 'ready'}])
            transaction.commit()
            return agent.id, agent.user.id

    def _delete_agent(self, agent_id, user_id):
        from trytond.tests.test_tryton import DB_NAME
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Agent = pool.get('callcenter.agent')
            agent = Agent(agent_id)
            server = agent.server
            Agent.delete([agent])
            pool.get('callcenter.pbx.server').delete([server])
            pool.get('res.user').write(
                [pool.get('res.user')(user_id)], {'active': False})
            transaction.commit()


del ModuleTestCase
