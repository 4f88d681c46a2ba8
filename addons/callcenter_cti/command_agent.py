"""The phone bar's entry points on ``callcenter.agent``.

Each action checks that the caller is the agent or leads one of the
agent's teams, then queues a ``callcenter.pbx.command`` for the bridge.
``phone_bar`` and ``directory`` are the reads of the web client; live
changes come over the bus afterwards.
"""
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.rpc import RPC
from trytond.modules.callcenter_base import phone
from trytond.transaction import Transaction

from .agent import state_order
from .exceptions import CommandAccessError, CommandError

#: Labels of the phone bar, translated as ``msg_bar_<key>`` messages.
BAR_LABELS = [
    'ready', 'not_ready', 'queue_login', 'queue_logout', 'number', 'dial',
    'hang_up', 'transfer', 'consult', 'pickup', 'search', 'all_teams',
    'all_queues', 'close', 'dialling', 'failed', 'hold', 'resume',
    'conference', 'survey']
ACTION_METHODS = [
    'dial', 'hang_up', 'set_ready', 'set_not_ready', 'queue_login',
    'queue_logout', 'transfer', 'pickup', 'hold', 'resume', 'conference',
    'survey']


class Agent(metaclass=PoolMeta):
    __name__ = 'callcenter.agent'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        for name in ACTION_METHODS:
            cls.__rpc__[name] = RPC(readonly=False, instantiate=0)
        cls.__rpc__['phone_bar'] = RPC()
        cls.__rpc__['directory'] = RPC()

    # reads -----------------------------------------------------------------
    @classmethod
    def phone_bar(cls):
        "The caller's own agent for the phone bar, or None."
        Configuration = Pool().get('callcenter.configuration')
        with Transaction().set_context(_check_access=False):
            agents = cls.search([('user', '=', Transaction().user)], limit=1)
            if not agents:
                return None
            agent, = agents
            return {
                **agent._directory_entry(),
                'user': agent.user.id,
                'reasons': Configuration(1).get_not_ready_reasons(),
                'labels': {k: gettext(f'callcenter_cti.msg_bar_{k}')
                    for k in BAR_LABELS},
                'states': dict(
                    cls.fields_get(['state'])['state']['selection']),
                }

    @classmethod
    def directory(cls, search=None, team=None, queue=None):
        """Agents the user may read, with live state, teams and queues;
        ``search`` matches name or extension."""
        domain = []
        if search:
            domain.append(('rec_name', 'ilike', f'%{search}%'))
        if team:
            domain.append(('user.teams', '=', team))
        if queue:
            domain.append(('queues', '=', queue))
        return [a._directory_entry() for a in cls.search(domain)]

    def _directory_entry(self):
        return {
            'id': self.id, 'name': self.user.name or self.user.login,
            'extension': self.extension,
            'state': self.state, 'reason': self.state_reason,
            'since': self.state_since.isoformat() + 'Z'
            if self.state_since else None,
            'seq': state_order(self.state_since, 0),
            'teams': [{'id': t.id, 'name': t.name} for t in self.user.teams],
            'queues': [{'id': q.id, 'name': q.name} for q in self.queues],
            }

    # actions ---------------------------------------------------------------
    @classmethod
    def dial(cls, agents, number):
        "Ring the agent's phone, then ``number``."
        key = phone.normalize(number, cls._phone_region())
        if not key:
            raise CommandError(gettext(
                    'callcenter_cti.msg_command_number', number=number or ''))
        return cls._command(agents, 'originate', number=key)

    @classmethod
    def hang_up(cls, agents):
        return cls._command(agents, 'hangup')

    @classmethod
    def set_ready(cls, agents):
        return cls._command(agents, 'unpause')

    @classmethod
    def set_not_ready(cls, agents, reason):
        reason = (reason or '').strip()
        if not reason:
            raise CommandError(gettext(
                    'callcenter_cti.msg_command_reason',
                    agent=agents[0].rec_name if agents else ''))
        return cls._command(agents, 'pause', reason=reason)

    @classmethod
    def queue_login(cls, agents):
        return cls._command(agents, 'queue_add')

    @classmethod
    def queue_logout(cls, agents):
        return cls._command(agents, 'queue_remove')

    @classmethod
    def transfer(cls, agents, target, mode='blind'):
        """Transfer the agent's call to agent ``target`` (an id); ``mode``
        is ``blind`` or ``attended`` (consult first)."""
        action = {'blind': 'blind_transfer',
            'attended': 'attended_transfer'}[mode]
        return cls._command(agents, action,
            extension=cls._target(target).extension)

    @classmethod
    def pickup(cls, agents, target):
        "Answer the call ringing at agent ``target`` (an id)."
        return cls._command(agents, 'pickup',
            extension=cls._target(target).extension)

    @classmethod
    def hold(cls, agents):
        "Put the agent's caller on music on hold."
        return cls._command(agents, 'hold')

    @classmethod
    def resume(cls, agents):
        "Bridge the agent with their caller on hold again."
        return cls._command(agents, 'resume')

    @classmethod
    def conference(cls, agents, target):
        """Move the agent's call into a conference room and ring agent
        ``target`` (an id) into it."""
        target = cls._target(target)
        return cls._command(agents, 'conference',
            extension=target.extension, interface=target.interface)

    @classmethod
    def survey(cls, agents):
        """Hand the agent's caller to the satisfaction survey (a blind
        transfer to the dialplan's survey context); the agent is free."""
        return cls._command(agents, 'survey')

    @classmethod
    def _target(cls, target):
        with Transaction().set_context(_check_access=False):
            return cls(int(target))

    @classmethod
    def _command(cls, agents, action, **parameters):
        Command = Pool().get('callcenter.pbx.command')
        cls.check_commander(agents)
        with Transaction().set_context(_check_access=False):
            return [Command.enqueue(a, action, **parameters).id
                for a in agents]

    @classmethod
    def check_commander(cls, agents):
        """Only the agent, a leader of one of their teams or an admin may
        control the agent's phone."""
        transaction = Transaction()
        user_id = transaction.user
        if user_id == 0 or cls._is_admin(user_id):
            return
        led = set(cls._led_team_users(user_id))
        for agent in agents:
            if agent.user.id != user_id and agent.user.id not in led:
                raise CommandAccessError(gettext(
                        'callcenter_cti.msg_command_access',
                        agent=agent.rec_name))

    @staticmethod
    def _is_admin(user_id):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        admin = ModelData.get_id('callcenter_base', 'group_admin')
        return admin in {g.id for g in User(user_id).groups}

    @staticmethod
    def _led_team_users(user_id):
        Team = Pool().get('callcenter.team')
        with Transaction().set_context(_check_access=False):
            return {u.id for t in Team.search([('leader', '=', user_id)])
                for u in t.members}

    @staticmethod
    def _phone_region():
        return Pool().get('callcenter.configuration').phone_region()
