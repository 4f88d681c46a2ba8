"Fixtures shared by the CTI tests."
import datetime as dt

from trytond.modules.callcenter_base.tests.test_module import create_user
from trytond.pool import Pool

T0 = 1_700_000_000.0


def at(seconds):
    "The naive UTC datetime ``seconds`` after T0, as the module stores it."
    return dt.datetime.fromtimestamp(T0 + seconds, dt.timezone.utc).replace(
        tzinfo=None)


def set_phone_country(code='CN', **values):
    pool = Pool()
    Country = pool.get('country.country')
    Configuration = pool.get('callcenter.configuration')
    country, = Country.create([{'name': code, 'code': code}])
    Configuration.write([Configuration(1)], {
            'phone_country': country.id, **values})
    return country


def create_party(name, *numbers, type_='mobile'):
    Party = Pool().get('party.party')
    party, = Party.create([{
                'name': name,
                'contact_mechanisms': [('create', [
                            {'type': type_, 'value': n} for n in numbers])],
                }])
    return party


def create_server():
    Server = Pool().get('callcenter.pbx.server')
    server, = Server.create([{'name': "PBX", 'username': 'bridge'}])
    return server


def create_agent(server, login, extension, *groups, queues=()):
    Agent = Pool().get('callcenter.agent')
    user = create_user(login, *(groups or ('group_agent',)))
    agent, = Agent.create([{
                'user': user.id, 'server': server.id,
                'extension': extension, 'interface': f'PJSIP/{extension}',
                'queues': [('add', [q.id for q in queues])],
                }])
    return agent


def inbound_events(linkedid='1700000000.1', caller='+8613800138000',
        extension='1001', answered=True):
    """A caller joins queue ``support``, agent ``extension`` rings and,
    when ``answered``, talks 60 s; else the caller abandons after 30 s."""
    agent_leg = linkedid + '1'
    events = [
        {'kind': 'channel_created', 'uniqueid': linkedid,
            'linkedid': linkedid, 'channel': 'PJSIP/trunk-00000001',
            'interface': 'PJSIP/trunk',
            'caller': caller, 'callee': '4000', 'trunk': 'trunk',
            'time': T0},
        {'kind': 'answered', 'uniqueid': linkedid, 'linkedid': linkedid,
            'time': T0 + 1},
        {'kind': 'variable', 'uniqueid': linkedid, 'linkedid': linkedid,
            'name': 'ivr_digits', 'value': '2', 'time': T0 + 4},
        {'kind': 'queue_join', 'uniqueid': linkedid, 'linkedid': linkedid,
            'queue': 'support', 'time': T0 + 5},
        {'kind': 'channel_created', 'uniqueid': agent_leg,
            'linkedid': linkedid, 'channel': f'PJSIP/{extension}-00000002',
            'interface': f'PJSIP/{extension}',
            'caller': caller, 'callee': extension, 'time': T0 + 6},
        {'kind': 'agent_called', 'uniqueid': linkedid, 'linkedid': linkedid,
            'interface': f'PJSIP/{extension}', 'queue': 'support',
            'time': T0 + 6},
        {'kind': 'ringing', 'uniqueid': agent_leg, 'linkedid': linkedid,
            'time': T0 + 6},
        ]
    if answered:
        events += [
            {'kind': 'answered', 'uniqueid': agent_leg, 'linkedid': linkedid,
                'time': T0 + 15},
            {'kind': 'agent_connect', 'uniqueid': linkedid,
                'linkedid': linkedid, 'interface': f'PJSIP/{extension}',
                'time': T0 + 15},
            {'kind': 'bridged', 'uniqueid': agent_leg, 'linkedid': linkedid,
                'time': T0 + 15},
            {'kind': 'hangup', 'uniqueid': agent_leg, 'linkedid': linkedid,
                'cause': 16, 'time': T0 + 75},
            {'kind': 'agent_complete', 'uniqueid': linkedid,
                'linkedid': linkedid, 'interface': f'PJSIP/{extension}',
                'time': T0 + 75},
            {'kind': 'hangup', 'uniqueid': linkedid, 'linkedid': linkedid,
                'cause': 16, 'time': T0 + 75},
            ]
    else:
        events += [
            {'kind': 'hangup', 'uniqueid': agent_leg, 'linkedid': linkedid,
                'cause': 26, 'time': T0 + 35},
            {'kind': 'abandon', 'uniqueid': linkedid, 'linkedid': linkedid,
                'queue': 'support', 'time': T0 + 35},
            {'kind': 'hangup', 'uniqueid': linkedid, 'linkedid': linkedid,
                'cause': 16, 'time': T0 + 35},
            ]
    return events
