import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.callcenter_base.notify import Notice, notify
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ReassignTargetError, RequiredAttributeError
from .ticket_sla import OPEN_STATES, TicketSLAMixin
from .ticket_type import PRIORITIES

STATES = [
    ('draft', "Draft"),
    ('open', "Open"),
    ('in_progress', "In Progress"),
    ('waiting', "Waiting"),
    ('resolved', "Resolved"),
    ('closed', "Closed"),
    ('cancelled', "Cancelled"),
    ]
CHANNELS = [
    (None, ""),
    ('phone', "Phone"),
    ('email', "Email"),
    ('web', "Web"),
    ('chat', "Chat"),
    ('sms', "SMS"),
    ('walk_in', "Walk-in"),
    ('other', "Other"),
    ]


class Ticket(TicketSLAMixin, Workflow, ModelSQL, ModelView):
    "A customer request followed from submission to closing."
    __name__ = 'callcenter.ticket'
    __string__ = "Ticket"
    _rec_name = 'number'
    _states = {'readonly': ~Eval('state').in_(['draft', 'open'])}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'draft'})
    type = fields.Many2One(
        'callcenter.ticket.type', "Type", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    party = fields.Many2One(
        'party.party', "Customer", states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    contact = fields.Many2One(
        'party.party', "Contact", states=_states,
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The person who called on behalf of the customer.")
    priority = fields.Selection(PRIORITIES, "Priority", required=True,
        states=_states, sort=False)
    priority_string = priority.translated('priority')
    subject = fields.Char("Subject", required=True, states=_states)
    description = fields.Text("Description")
    attributes = fields.Dict(
        'callcenter.attribute', "Extra Fields",
        domain=[('usage', '=', 'ticket'),
            ('ticket_types', '=', Eval('type', -1))],
        help="The fields the ticket type adds.")
    channel = fields.Selection(CHANNELS, "Channel", states=_states)
    assignee = fields.Many2One(
        'res.user', "Assignee", states={'readonly': Eval('state') != 'draft'},
        help="The agent working on the ticket; use Reassign to change it.")
    team = fields.Many2One(
        'callcenter.team', "Team", states={'readonly': Eval('state') != 'draft'},
        domain=[('company', '=', Eval('company', -1))])
    parent = fields.Many2One(
        'callcenter.ticket', "Parent", states=_states,
        domain=[('company', '=', Eval('company', -1)),
            ('id', '!=', Eval('id', -1))],
        help="The ticket this one is a part of, e.g. a return under an "
        "order ticket.")
    children = fields.One2Many(
        'callcenter.ticket', 'parent', "Sub-tickets",
        domain=[('company', '=', Eval('company', -1))])
    attachments = fields.One2Many(
        'ir.attachment', 'resource', "Attachments")
    history = fields.One2Many(
        'callcenter.ticket.history', 'ticket', "History", readonly=True)
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.assignee, Index.Equality()),
                    (t.state, Index.Equality())),
                Index(t, (t.team, Index.Equality()),
                    (t.state, Index.Equality())),
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.number, Index.Equality())),
                # the agents' rule also shows the tickets they created
                Index(t, (t.create_uid, Index.Equality()),
                    (t.state, Index.Equality())),
                })
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'open'),
            ('open', 'in_progress'),
            ('in_progress', 'waiting'),
            ('waiting', 'in_progress'),
            ('in_progress', 'open'),
            ('draft', 'resolved'),
            ('open', 'resolved'),
            ('in_progress', 'resolved'),
            ('waiting', 'resolved'),
            ('resolved', 'closed'),
            ('draft', 'cancelled'),
            ('open', 'cancelled'),
            ('in_progress', 'cancelled'),
            ('waiting', 'cancelled'),
            ('resolved', 'open'),
            ('closed', 'open'),
            ('cancelled', 'open'),
            }
        cls._buttons.update(cls._get_buttons())

    @classmethod
    def _get_buttons(cls):
        def visible(*states):
            return {
                'invisible': ~Eval('state').in_(list(states)),
                'depends': ['state'],
                }
        return {
            'submit': visible('draft'),
            'accept': visible('open'),
            'process': visible('waiting'),
            'wait': visible('in_progress'),
            'resolve': visible('in_progress', 'waiting'),
            'resolve_on_spot': visible('draft', 'open'),
            'close': visible('resolved'),
            'cancel': visible('draft', 'open', 'in_progress', 'waiting'),
            'reopen': visible('resolved', 'closed', 'cancelled'),
            'return_to_team': visible('in_progress'),
            'reassign': visible(*OPEN_STATES),
            }

    @classmethod
    def view_attributes(cls):
        "Overdue tickets in red; PYSON must come from here to be encoded."
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('overdue', False), 'danger', '')),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_priority():
        return 'normal'

    @staticmethod
    def default_assignee():
        return Transaction().user or None

    @classmethod
    def default_team(cls):
        User = Pool().get('res.user')
        user = Transaction().user
        if user:
            company = Transaction().context.get('company')
            for team in User(user).teams:
                if team.company.id == company:
                    return team.id

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            values['number'] = cls._get_number()
        return values

    @classmethod
    def _get_number(cls):
        Configuration = Pool().get('callcenter.ticket.configuration')
        with without_check_access():
            return Configuration(1).ticket_sequence.get()

    def get_rec_name(self, name):
        return f'{self.number}: {self.subject}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('number', *clause[1:]),
            ('subject', *clause[1:]),
            ]

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'history', 'opened_at', 'response_due',
                'responded_at', 'resolution_due', 'resolved_at',
                'response_business_hours', 'resolution_business_hours',
                'waiting_since', 'paused_hours', 'extended_hours', 'overdue',
                'escalated',
                'children']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(tickets, default=default)

    @classmethod
    def create(cls, vlist):
        tickets = super().create(vlist)
        cls._add_history(tickets, {}, gettext(
                'callcenter_ticket.msg_ticket_created'))
        return tickets

    @classmethod
    def on_modification(cls, mode, tickets, field_names=None):
        super().on_modification(mode, tickets, field_names=field_names)
        if mode == 'write':
            cls._sla_on_write(tickets, set(field_names or []))

    @classmethod
    def validate_fields(cls, tickets, field_names):
        super().validate_fields(tickets, field_names)
        if field_names & {'attributes', 'type'}:
            cls.check_required_attributes(tickets)

    @classmethod
    def check_required_attributes(cls, tickets):
        Attribute = Pool().get('callcenter.attribute')
        for ticket in tickets:
            missing = Attribute.missing(
                ticket.attributes, ticket.type.attributes)
            if missing:
                raise RequiredAttributeError(gettext(
                        'callcenter_ticket.msg_ticket_required_attribute',
                        ticket=ticket.rec_name,
                        attributes=', '.join(missing)))

    @classmethod
    def _step(cls, tickets, state, values=None, comment=None):
        "Write the step's values and keep it in the history."
        values = dict(values or {})
        if state:
            values['state'] = state
        if not tickets:
            return
        before = {t.id: t._history_snapshot() for t in tickets}
        cls.write(tickets, values)
        cls._add_history(tickets, before, comment)

    def _history_snapshot(self):
        return {
            'state': self.state,
            'assignee': self.assignee.id if self.assignee else None,
            'team': self.team.id if self.team else None,
            }

    @classmethod
    def _add_history(cls, tickets, before, comment=None):
        History = Pool().get('callcenter.ticket.history')
        user = Transaction().user or None
        rows = []
        for ticket in tickets:
            old = before.get(ticket.id, {})
            new = ticket._history_snapshot()
            rows.append(History(
                    ticket=ticket, user=user, comment=comment,
                    from_state=old.get('state'), to_state=new['state'],
                    from_assignee=old.get('assignee'),
                    to_assignee=new['assignee'],
                    from_team=old.get('team'), to_team=new['team']))
        with without_check_access():
            History.save(rows)

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def submit(cls, tickets):
        cls._sla_start(tickets)
        cls._step(tickets, 'open')

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def accept(cls, tickets):
        "The current user takes the tickets."
        cls._sla_respond(tickets)
        cls._step(tickets, 'in_progress',
            {'assignee': Transaction().user or None})

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def process(cls, tickets):
        "Work goes on after waiting on the customer."
        cls._sla_resume(tickets)
        cls._step(tickets, 'in_progress')

    @classmethod
    @ModelView.button
    @Workflow.transition('waiting')
    def wait(cls, tickets):
        "Wait on the customer; the resolution clock pauses."
        cls._sla_pause(tickets)
        cls._step(tickets, 'waiting')

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    def resolve(cls, tickets):
        cls._sla_start(tickets)
        cls._sla_resume([t for t in tickets if t.state == 'waiting'])
        cls._sla_resolve(tickets)
        user = Transaction().user or None
        unassigned = [t for t in tickets if not t.assignee]
        cls._step(unassigned, 'resolved', {'assignee': user})
        cls._step(
            [t for t in tickets if t not in unassigned], 'resolved')

    @classmethod
    @ModelView.button
    def resolve_on_spot(cls, tickets):
        "Resolve during the call, without routing the ticket."
        cls.resolve(tickets)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, tickets):
        cls._step(tickets, 'closed')

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, tickets):
        cls._step(tickets, 'cancelled')

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, tickets):
        cls._sla_start(tickets)
        cls._step(tickets, 'open', {
                'resolved_at': None, 'resolution_business_hours': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def return_to_team(cls, tickets):
        "Give the tickets back to the team's queue."
        cls._step(tickets, 'open', {'assignee': None})

    @classmethod
    @ModelView.button_action('callcenter_ticket.wizard_ticket_reassign')
    def reassign(cls, tickets):
        pass

    @classmethod
    def transfer(cls, tickets, assignee, team, reason):
        "Route tickets to another agent or team, and tell them."
        if not assignee and not team:
            raise ReassignTargetError(gettext(
                    'callcenter_ticket.msg_reassign_no_target'))
        values = {'assignee': assignee.id if assignee else None}
        if team:
            values['team'] = team.id
        cls._step(tickets, None, values, reason)
        cls._notify(tickets, cls._get_forward_recipient,
            'callcenter_ticket.msg_ticket_forwarded',
            comment=reason, email=True)

    def _get_forward_recipient(self):
        if self.assignee:
            return self.assignee
        if self.team:
            return self.team.leader

    @classmethod
    def _notify(cls, tickets, get_user, message, comment=None, email=False):
        "Tell users about tickets over the bus, the bell and by email."
        notices = [Notice(user, ticket,
                gettext(message, ticket=ticket.rec_name), comment)
            for ticket in tickets for user in [get_user(ticket)] if user]
        notify(notices, bus_type='callcenter.ticket',
            email=(lambda n: n.record._get_email_body(comment))
            if email else None)

    def _get_email_body(self, comment=None):
        lines = [
            f"{self.number}: {self.subject}",
            f"{gettext('callcenter_ticket.msg_email_customer')}: "
            f"{self.party.rec_name if self.party else ''}",
            f"{gettext('callcenter_ticket.msg_email_priority')}: "
            f"{self.priority_string}",
            ]
        if comment:
            lines += ['', comment]
        if self.description:
            lines += ['', self.description]
        return '\n'.join(lines)


class TicketHistory(ModelSQL, ModelView):
    "One step of a ticket: who did it, when, and what changed."
    __name__ = 'callcenter.ticket.history'
    __string__ = "Ticket History"
    ticket = fields.Many2One(
        'callcenter.ticket', "Ticket", required=True, ondelete='CASCADE',
        readonly=True)
    date = fields.DateTime("Date", readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)
    from_state = fields.Selection(
        [(None, "")] + STATES, "From State", readonly=True)
    to_state = fields.Selection(STATES, "To State", readonly=True)
    from_assignee = fields.Many2One(
        'res.user', "From Assignee", readonly=True)
    to_assignee = fields.Many2One('res.user', "To Assignee", readonly=True)
    from_team = fields.Many2One(
        'callcenter.team', "From Team", readonly=True)
    to_team = fields.Many2One('callcenter.team', "To Team", readonly=True)
    comment = fields.Text("Comment", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Model.__setup__ resets __access__: a class attribute is lost.
        cls.__access__.add('ticket')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.ticket, Index.Equality())))
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_date():
        return dt.datetime.now()


class ReassignStart(ModelView):
    "Choose who takes over the ticket and why."
    __name__ = 'callcenter.ticket.reassign.start'
    __string__ = "Reassign Ticket"
    company = fields.Many2One('company.company', "Company", readonly=True)
    team = fields.Many2One(
        'callcenter.team', "Team",
        domain=[('company', '=', Eval('company', -1))],
        help="Leave the agent empty to put the ticket in this team's queue.")
    assignee = fields.Many2One(
        'res.user', "Agent",
        domain=[If(Bool(Eval('team')),
                ('teams', '=', Eval('team', -1)),
                ())])
    reason = fields.Text("Reason", required=True)


class Reassign(Wizard):
    "Transfer tickets to another agent or team."
    __name__ = 'callcenter.ticket.reassign'
    start = StateView(
        'callcenter.ticket.reassign.start',
        'callcenter_ticket.ticket_reassign_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reassign", 'reassign', 'tryton-ok', default=True),
            ])
    reassign = StateTransition()

    def default_start(self, fields):
        return {'company': self.records[0].company.id}

    def transition_reassign(self):
        self.model.transfer(
            self.records, self.start.assignee, self.start.team,
            self.start.reason)
        return 'end'
