"Fixtures shared by the QA tests: a company, its people and graded calls."
import contextlib
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.transaction import Transaction

D = Decimal


def create_user(login, company, *groups):
    "A user of company in groups, given as 'module.xml_id' or base ids."
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    ids = [ModelData.get_id(*(g if '.' in g else 'callcenter_base.' + g)
            .split('.')) for g in groups]
    user, = User.create([{
                'login': login, 'name': login.title(),
                'groups': [('add', ids)],
                'companies': [('add', [company.id])],
                'company': company.id,
                }])
    return user


@contextlib.contextmanager
def as_user(user):
    "The user's own rights, as the web client has them."
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True,
                company=user.company.id):
        yield


class World:
    """A company with two teams: leader1 leads agent1, leader2 leads
    agent2; qa1 and qa2 grade, lead is the QA lead."""

    def __init__(self):
        pool = Pool()
        self.company = create_company()
        self._ctx = set_company(self.company)
        self._ctx.__enter__()
        Server = pool.get('callcenter.pbx.server')
        Team = pool.get('callcenter.team')
        self.server, = Server.create([{'name': "PBX", 'username': 'bridge'}])
        c = self.company
        self.qa1 = create_user('qa1', c, 'group_qa')
        self.qa2 = create_user('qa2', c, 'group_qa')
        self.lead = create_user('lead', c, 'callcenter_qa.group_qa_lead')
        self.leader1 = create_user('leader1', c, 'group_team_leader')
        self.leader2 = create_user('leader2', c, 'group_team_leader')
        self.agent1 = self._agent('agent1', '1001')
        self.agent2 = self._agent('agent2', '1002')
        self.team1, self.team2 = Team.create([
                {'name': "Team 1", 'leader': self.leader1.id, 'members':
                    [('add', [self.leader1.id, self.agent1.user.id])]},
                {'name': "Team 2", 'leader': self.leader2.id, 'members':
                    [('add', [self.leader2.id, self.agent2.user.id])]},
                ])
        self.template = self.create_template()

    def _agent(self, login, extension):
        Agent = Pool().get('callcenter.agent')
        user = create_user(login, self.company, 'group_agent')
        agent, = Agent.create([{'user': user.id, 'server': self.server.id,
                    'extension': extension,
                    'interface': f'PJSIP/{extension}'}])
        return agent

    def create_template(self, lines=None, activate=True, **values):
        Template = Pool().get('callcenter.qa.template')
        if lines is None:
            lines = [
                {'name': "Greeting", 'max_score': D(10), 'weight': D(1)},
                {'name': "Solution", 'max_score': D(10), 'weight': D(3)},
                {'name': "Verifies identity", 'max_score': D(1),
                    'auto_fail': True},
                {'name': "Upsell", 'max_score': D(5), 'na_allowed': True},
                ]
        template, = Template.create([{
                    'name': "Service QA", 'passing_score': D(80),
                    'lines': [('create', lines)], **values}])
        if activate:
            Template.activate([template])
        return template

    def _next_linkedid(self):
        self._calls = getattr(self, '_calls', 0) + 1
        return f'1700000000.{self._calls}'

    def create_call(self, agent, linkedid=None, **values):
        Call = Pool().get('callcenter.call')
        start = dt.datetime(2026, 11, 20, 9, 0)
        call, = Call.create([dict({
                        'server': self.server.id,
                        'linkedid': linkedid or self._next_linkedid(),
                        'state': 'ended', 'direction': 'inbound',
                        'caller': '+8613800138000', 'callee': '4000',
                        'agent': agent.id, 'start_at': start,
                        'answer_at': start + dt.timedelta(seconds=10),
                        'hangup_at': start + dt.timedelta(seconds=190),
                        'notes': "Router reset"}, **values)])
        return call

    def evaluate(self, agent, grader, scores, template=None, submit=True,
            linkedid=None):
        "An evaluation of a new call of agent by grader with line scores."
        Evaluation = Pool().get('callcenter.qa.evaluation')
        call = self.create_call(agent, linkedid=linkedid or self._next_linkedid())
        evaluation, = Evaluation.create([{
                    'call': call.id, 'agent': agent.id,
                    'template': (template or self.template).id,
                    'grader': grader.id,
                    'team': Evaluation._get_team(agent)}])
        grade(evaluation, scores)
        if submit:
            with as_user(grader):
                Evaluation.submit([Evaluation(evaluation.id)])
        return Evaluation(evaluation.id)


def grade(evaluation, scores):
    """Score the lines in order: a number, 'na' or (score, comment)."""
    Line = Pool().get('callcenter.qa.evaluation.line')
    for line, value in zip(evaluation.lines, scores):
        comment = None
        if isinstance(value, tuple):
            value, comment = value
        if value == 'na':
            Line.write([line], {'na': True, 'score': None})
        else:
            Line.write([line], {'score': D(value), 'comment': comment})
