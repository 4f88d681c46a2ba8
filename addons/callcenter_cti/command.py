"""Phone commands: what agents ask the phone system to do.

Agents' actions in the web client enqueue ``callcenter.pbx.command``
records; the bridge is woken by ``NOTIFY`` (see ``CHANNEL``), takes the
queued commands of its server, marks them *sent* in a committed
transaction before writing them to the phone system, then *done* or
*failed*. A command found *sent* when a link (re)connects is never sent
again: it fails with "link lost; not retried" (an Originate replayed would
ring the customer twice).
"""
import datetime as dt

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.callcenter_base.notify import publish
from trytond.transaction import Transaction

#: The PostgreSQL channel the bridge LISTENs on; the payload is the server id.
CHANNEL = 'callcenter_pbx_command'
ACTIONS = [
    ('originate', "Dial"),
    ('hangup', "Hang Up"),
    ('blind_transfer', "Blind Transfer"),
    ('attended_transfer', "Attended Transfer"),
    ('pickup', "Pickup"),
    ('hold', "Hold"),
    ('resume', "Resume"),
    ('conference', "Conference"),
    ('pause', "Not Ready"),
    ('unpause', "Ready"),
    ('queue_add', "Queue Login"),
    ('queue_remove', "Queue Logout"),
    ('survey', "Survey"),
    ]
#: The bridge's own failures (``bridge.commands``) → translated messages.
BRIDGE_MESSAGES = {
    'no consultation call': 'callcenter_cti.msg_command_no_consultation',
    }
STATES = [
    ('queued', "Queued"),
    ('sent', "Sent"),
    ('done', "Done"),
    ('failed', "Failed"),
    ]


class Command(ModelSQL, ModelView):
    "A request to the phone system on behalf of an agent."
    __name__ = 'callcenter.pbx.command'
    __string__ = "Phone Command"
    server = fields.Many2One(
        'callcenter.pbx.server', "PBX Server", required=True,
        ondelete='CASCADE')
    agent = fields.Many2One(
        'callcenter.agent', "Agent", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "Requested By", readonly=True,
        help="Who asked for the command; failures are reported to them.")
    action = fields.Selection(ACTIONS, "Action", required=True)
    action_string = action.translated('action')
    parameters = fields.Dict(None, "Parameters")
    description = fields.Function(
        fields.Char("Description"), 'get_description')
    state = fields.Selection(STATES, "State", required=True, readonly=True)
    error = fields.Char("Error", readonly=True)
    queued_at = fields.Timestamp("Queued At", readonly=True)
    sent_at = fields.Timestamp("Sent At", readonly=True)
    done_at = fields.Timestamp("Answered At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('queued_at', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_state():
        return 'queued'

    def get_description(self, name):
        return ', '.join(f'{k}={v}' for k, v in sorted(
                (self.parameters or {}).items()))

    @classmethod
    def enqueue(cls, agent, action, **parameters):
        "Queue ``action`` for ``agent``'s phone and wake the bridge."
        command, = cls.create([{
                    'server': agent.server.id, 'agent': agent.id,
                    'user': Transaction().user or None, 'action': action,
                    'parameters': parameters,
                    'queued_at': dt.datetime.now()}])
        cls._notify(agent.server.id)
        return command

    @staticmethod
    def _notify(server_id):
        "NOTIFY the bridge; PostgreSQL delivers it at commit."
        if backend.name != 'postgresql':
            return
        cursor = Transaction().connection.cursor()
        cursor.execute('SELECT pg_notify(%s, %s)', (CHANNEL, str(server_id)))

    @classmethod
    def take(cls, server_id, ttl=60):
        """The queued commands of the server, marked sent, oldest first.

        Commands queued more than ``ttl`` seconds ago fail instead: a dial
        the agent asked for minutes ago must not ring anyone now."""
        now = dt.datetime.now()
        queued = cls.search([
                ('server', '=', server_id), ('state', '=', 'queued')],
            order=[('id', 'ASC')])
        stale = [c for c in queued
            if c.queued_at and now - c.queued_at > dt.timedelta(seconds=ttl)]
        cls.fail(stale, gettext('callcenter_cti.msg_command_expired'))
        fresh = [c for c in queued if c not in stale]
        cls.write(fresh, {'state': 'sent', 'sent_at': now})
        return [c._to_bridge() for c in fresh]

    def _to_bridge(self):
        agent = self.agent
        return {
            'id': self.id, 'action': self.action,
            'parameters': dict(self.parameters or {}),
            'interface': agent.interface, 'extension': agent.extension,
            'name': agent.user.name or agent.user.login,
            # A command may name its queues (joining one campaign's).
            'queues': (self.parameters or {}).get('queues')
            or [q.name for q in agent.queues],
            }

    @classmethod
    def finish(cls, results):
        "Record the answers: ``[{'id', 'ok', 'message'}]``."
        by_id = {c.id: c for c in cls.browse([r['id'] for r in results])}
        done = [by_id[r['id']] for r in results if r['ok']]
        cls.write(done, {'state': 'done', 'done_at': dt.datetime.now()})
        for result in results:
            if not result['ok']:
                command = by_id[result['id']]
                message = result.get('message')
                if message in BRIDGE_MESSAGES:
                    message = command._in_language(BRIDGE_MESSAGES[message])
                cls.fail([command], message
                    or gettext('callcenter_cti.msg_command_refused'))

    @classmethod
    def fail_unanswered(cls, server_id):
        """Fail the commands left *sent* by a lost link: whether the phone
        system ran them is unknown, so they are not sent again."""
        commands = cls.search([
                ('server', '=', server_id), ('state', '=', 'sent')])
        cls.fail(commands, gettext('callcenter_cti.msg_command_link_lost'))
        return len(commands)

    @classmethod
    def fail(cls, commands, error):
        "Mark ``commands`` failed and tell who asked, on the bus."
        if not commands:
            return
        cls.write(commands, {
                'state': 'failed', 'error': error[:250],
                'done_at': dt.datetime.now()})
        for command in commands:
            user = command.user or command.agent.user
            publish(user.id, command._failure_message())

    def _in_language(self, message_id):
        "The message in the language of who asked."
        user = self.user or self.agent.user
        language = user.language.code if user.language else None
        with Transaction().set_context(language=language):
            return gettext(message_id)

    def _failure_message(self):
        return {
            'type': 'callcenter.command_failed',
            'command': self.id, 'agent': self.agent.id,
            'action': self.action,
            'action_string': self.action_string,
            'error': self.error,
            }
