import datetime as dt
import itertools

from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)
from trytond.modules.callcenter_base.notify import publish
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.rpc import RPC

from .agent_pending import pending
from .times import parse_time

AGENT_STATES = [
    ('logged_out', "Logged Out"),
    ('ready', "Ready"),
    ('not_ready', "Not Ready"),
    ('ringing', "Ringing"),
    ('on_call', "On Call"),
    ('wrap_up', "Wrap-Up"),
    ('on_hold', "On Hold"),
    ]
POPS = [
    ('customer', "Customer"),
    ('ticket', "Ticket"),
    ]
#: Bus channel of every agent's state, for the phone bar's directory. It is
#: not a user channel, so it carries no caller data: ids, extensions, states.
DIRECTORY_CHANNEL = 'callcenter.agent_states'
_EPOCH = dt.datetime(1970, 1, 1)
#: Tie-break of the state messages of one process, always increasing.
_TIE_BREAK = itertools.count(1)


def state_order(since, tie_break=None):
    """The ``seq`` of a state message: ``[µs since the epoch of since,
    tie-break]``, compared in that order. The bus delivers the messages of
    one commit in any order (wrap-up and ready of one batch): a phone bar
    keeps the state of the highest ``seq`` it has seen."""
    micros = (since - _EPOCH) // dt.timedelta(microseconds=1) if since else 0
    return [micros,
        next(_TIE_BREAK) if tie_break is None else tie_break]


class Agent(DeactivableMixin, ModelSQL, ModelView):
    "A user who takes calls on a phone bound to an interface."
    __name__ = 'callcenter.agent'
    __string__ = "Agent"
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')
    server = fields.Many2One(
        'callcenter.pbx.server', "PBX Server", required=True,
        ondelete='RESTRICT')
    extension = fields.Char(
        "Extension", required=True, help="The number dialled to reach "
        "the agent's phone, e.g. 1001.")
    interface = fields.Char(
        "Interface", required=True,
        help="The phone's device on the phone system, e.g. PJSIP/1001.")
    queues = fields.Many2Many(
        'callcenter.agent-callcenter.queue', 'agent', 'queue', "Queues",
        domain=[('server', '=', Eval('server', -1))],
        help="The queues (skills) the agent answers.")
    preferred_pop = fields.Selection(
        POPS, "Screen Pop", required=True,
        help="What opens when a call reaches the agent.")
    state = fields.Selection(AGENT_STATES, "State", readonly=True)
    state_reason = fields.Char(
        "Reason", readonly=True, help="Why the agent is not ready.")
    state_since = fields.Timestamp("Since", readonly=True)
    states = fields.One2Many(
        'callcenter.agent.state', 'agent', "State Log", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('user_uniq', Unique(t, t.user),
                'callcenter_cti.msg_agent_user_unique'),
            ('interface_uniq', Unique(t, t.server, t.interface),
                'callcenter_cti.msg_agent_interface_unique'),
            ]
        cls._order = [('extension', 'ASC'), ('id', 'ASC')]
        cls.__rpc__['set_states'] = RPC(readonly=False)

    @staticmethod
    def default_preferred_pop():
        return 'customer'

    @staticmethod
    def default_state():
        return 'logged_out'

    def get_rec_name(self, name):
        return f'{self.user.rec_name} ({self.extension})'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('user.rec_name', operator, operand, *extra),
            ('extension', operator, operand, *extra),
            ('interface', operator, operand, *extra),
            ]

    @classmethod
    def by_interface(cls, server_id, interfaces):
        "Interface → agent of the server, for the given interfaces."
        interfaces = sorted({i for i in interfaces if i})
        if not interfaces:
            return {}
        domain = [('interface', 'in', interfaces)]
        if server_id is not None:
            domain.append(('server', '=', server_id))
        return {a.interface: a for a in cls.search(domain)}

    @classmethod
    def set_states(cls, changes):
        """Apply state changes reported by the phone system.

        Each change is a dict with ``interface`` (and ``server``) or
        ``agent`` (an id), ``state``, optional ``reason`` and ``time``.
        Changes older than the agent's current state are ignored, so a
        replay never moves the log back. Returns the ids of changed agents.
        """
        by_id = {a.id: a for a in cls.browse(
                [c['agent'] for c in changes if c.get('agent')])}
        changed = []
        for change in changes:
            agent = by_id.get(change.get('agent'))
            if agent is None:
                agent = cls.by_interface(
                    change.get('server'), [change.get('interface')]).get(
                    change.get('interface'))
            if agent and agent.change_state(
                    change['state'], change.get('reason'),
                    parse_time(change.get('time'))):
                changed.append(agent.id)
        return changed

    def change_state(self, state, reason=None, at=None):
        "Move to ``state``; False when it is stale or changes nothing."
        at = at or dt.datetime.now()
        reason = (reason or None) if state == 'not_ready' else None
        if self.state_since and at < self.state_since:
            return False
        if (self.state, self.state_reason or None) == (state, reason):
            return False
        batch = pending()
        if batch is not None:
            batch.add(self, state, reason, at)
            publish(self.user.id, self._state_message())
            return True
        self._log_state(state, reason, at)
        self.__class__.write([self], {
                'state': state, 'state_reason': reason, 'state_since': at})
        publish(self.user.id, self._state_message())
        self._publish_directory()
        return True

    def _publish_directory(self):
        "The agent's state on the directory channel of the phone bars."
        publish(None, self._state_message(), DIRECTORY_CHANNEL)

    def _log_state(self, state, reason, at):
        "Close the open log row of the agent and open one for ``state``."
        State = Pool().get('callcenter.agent.state')
        State.write(State.search([
                    ('agent', '=', self.id), ('end', '=', None)]),
            {'end': at})
        State.create([{
                    'agent': self.id, 'state': state, 'reason': reason,
                    'start': at}])

    def _state_message(self):
        return {
            'type': 'callcenter.agent_state',
            'agent': self.id,
            'extension': self.extension,
            'state': self.state,
            'reason': self.state_reason,
            'since': self.state_since.isoformat(),
            'seq': state_order(self.state_since),
            }


class AgentQueue(ModelSQL):
    "Membership of an agent in a queue."
    __name__ = 'callcenter.agent-callcenter.queue'
    __string__ = "Agent Queue"
    agent = fields.Many2One(
        'callcenter.agent', "Agent", required=True, ondelete='CASCADE')
    queue = fields.Many2One(
        'callcenter.queue', "Queue", required=True, ondelete='CASCADE')


class AgentState(ModelSQL, ModelView):
    "A period an agent spent in one state."
    __name__ = 'callcenter.agent.state'
    __string__ = "Agent State"
    agent = fields.Many2One(
        'callcenter.agent', "Agent", required=True, ondelete='CASCADE')
    state = fields.Selection(AGENT_STATES, "State", required=True)
    reason = fields.Char("Reason")
    start = fields.Timestamp("Start", required=True)
    end = fields.Timestamp("End")
    duration = fields.Function(
        fields.TimeDelta("Duration"), 'get_duration')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start', 'DESC'), ('id', 'DESC')]

    def get_duration(self, name):
        end = self.end or dt.datetime.now()
        return end - self.start
