"Fixtures shared by the QA tests: a company, teams of agents and calls."
import contextlib
import datetime as dt
import itertools
from decimal import Decimal

from trytond.modules.callcenter_base.tests.test_module import create_user
from trytond.pool import Pool
from trytond.transaction import Transaction

T0 = dt.datetime(2026, 11, 2, 9, 0)
_serial = itertools.count(1)


def create_server():
    Server = Pool().get('callcenter.pbx.server')
    server, = Server.create([{'name': "PBX", 'username': 'bridge'}])
    return server


def create_team(company, server, size, leader=False):
    """A team of ``size`` new agents (their users in the team), the first
    one its leader when ``leader``."""
    pool = Pool()
    Agent = pool.get('callcenter.agent')
    Team = pool.get('callcenter.team')
    users = []
    for index in range(size):
        serial = next(_serial)
        groups = ('group_agent', 'group_team_leader') if (
            leader and index == 0) else ('group_agent',)
        users.append(create_user(f'agent{serial}', *groups))
    agents = Agent.create([{
                'user': u.id, 'server': server.id,
                'extension': str(5000 + int(u.login[5:])),
                'interface': f'PJSIP/{5000 + int(u.login[5:])}'}
            for u in users])
    team, = Team.create([{
                'name': f"Team {next(_serial)}", 'company': company.id,
                'leader': users[0].id if leader else None,
                'members': [('add', [u.id for u in users])]}])
    return team, agents


def create_calls(server, specs):
    """Ended answered calls, one per spec dict (``agent`` required;
    ``minutes`` after T0, ``talk`` seconds, ``survey``, ``satisfaction``,
    ``direction``, ``caller``, ``purpose``)."""
    Call = Pool().get('callcenter.call')
    values = []
    for spec in specs:
        serial = next(_serial)
        start = T0 + dt.timedelta(minutes=spec.get('minutes', serial))
        talk = dt.timedelta(seconds=spec.get('talk', 120))
        values.append({
                'server': server.id, 'linkedid': f'q{serial}.1',
                'state': 'ended', 'disposition': 'answered',
                'direction': spec.get('direction', 'inbound'),
                'agent': spec['agent'].id,
                'caller': spec.get('caller', f'+86138{serial:08d}'),
                'purpose': spec.get('purpose'),
                'start_at': start, 'answer_at': start,
                'hangup_at': start + talk, 'talk_duration': talk,
                'survey': spec.get('survey'),
                'satisfaction': spec.get('satisfaction'),
                })
    return Call.create(values)


def create_template(company, name="Service QA"):
    "An active template of one item."
    Template = Pool().get('callcenter.qa.template')
    template, = Template.create([{
                'name': name, 'company': company.id,
                'passing_score': Decimal(80),
                'lines': [('create', [
                            {'name': "Greeting", 'max_score': Decimal(10)},
                            ])]}])
    Template.activate([template])
    return template


def create_list(company, **values):
    """A list of the company's first template (made active on the first
    list of the transaction's company)."""
    QaList = Pool().get('callcenter.qa.list')
    if 'template' not in values:
        Template = Pool().get('callcenter.qa.template')
        templates = Template.search([('company', '=', company.id),
                ('state', '=', 'active')], limit=1, order=[('id', 'ASC')])
        values['template'] = (templates[0] if templates
            else create_template(company)).id
    qa_list, = QaList.create([{
                'name': f"List {next(_serial)}", 'company': company.id,
                'count': 2, **values}])
    return qa_list


def generate(qa_list):
    "Generate as the worker would, in this transaction."
    QaList = Pool().get('callcenter.qa.list')
    QaList.generate([qa_list])
    QaList.generate_now([qa_list])
    return {s.call.id: s for s in QaList(qa_list.id).samples}


@contextlib.contextmanager
def as_user(user):
    "The user's own rights, as the web client has them."
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True):
        yield
