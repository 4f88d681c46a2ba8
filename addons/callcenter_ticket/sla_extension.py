"""SLA extension requests: more time for a ticket, decided by its leader."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import SLAExtensionDecisionError, SLAExtensionReasonError
from .ticket_sla import OPEN_STATES

STATES = [
    ('requested', "Requested"),
    ('approved', "Approved"),
    ('refused', "Refused"),
    ]


class SLAExtension(Workflow, ModelSQL, ModelView):
    "An agent's request for more time to resolve a ticket."
    __name__ = 'callcenter.ticket.sla_extension'
    __string__ = "SLA Extension"
    _states = {'readonly': Eval('state') != 'requested'}

    ticket = fields.Many2One(
        'callcenter.ticket', "Ticket", required=True, ondelete='CASCADE',
        domain=[('state', 'in', OPEN_STATES)], states=_states)
    requested_by = fields.Many2One('res.user', "Requested By", readonly=True)
    hours = fields.Float("Hours", required=True, states=_states,
        domain=[('hours', '>', 0)],
        help="Business hours to add to the resolution time.")
    reason = fields.Text("Reason", required=True, states=_states)
    decided_by = fields.Many2One('res.user', "Decided By", readonly=True)
    decided_at = fields.DateTime("Decided At", readonly=True)
    decision_note = fields.Text("Decision Note", states=_states,
        help="Why the request is refused (required) or a note on approval.")
    state = fields.Selection(STATES, "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.ticket, Index.Equality())))
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('requested', 'approved'),
            ('requested', 'refused'),
            }
        cls._buttons.update({
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'requested'

    @staticmethod
    def default_requested_by():
        return Transaction().user or None

    def get_rec_name(self, name):
        return f'{self.ticket.rec_name} (+{self.hours:g} h)'

    @classmethod
    def create(cls, vlist):
        extensions = super().create(vlist)
        cls._notify(extensions, lambda e: e.ticket.team.leader
            if e.ticket.team else None,
            'callcenter_ticket.msg_sla_extension_requested')
        return extensions

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, extensions):
        "Move the tickets' resolution due dates later."
        Ticket = Pool().get('callcenter.ticket')
        cls.check_decider(extensions)
        for extension in extensions:
            Ticket._sla_extend(extension.ticket, extension.hours,
                gettext('callcenter_ticket.msg_sla_extension_history',
                    hours=f'{extension.hours:g}', reason=extension.reason))
        cls._decide(extensions, 'callcenter_ticket.msg_sla_extension_approved')

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    def refuse(cls, extensions):
        "Keep the due dates; the decision note says why."
        cls.check_decider(extensions)
        for extension in extensions:
            if not extension.decision_note:
                raise SLAExtensionReasonError(gettext(
                        'callcenter_ticket.msg_sla_extension_refusal_reason',
                        extension=extension.rec_name))
        cls._decide(extensions, 'callcenter_ticket.msg_sla_extension_refused')

    @classmethod
    def _decide(cls, extensions, message):
        cls.write(extensions, {
                'decided_by': Transaction().user or None,
                'decided_at': dt.datetime.now(),
                })
        cls._notify(extensions, lambda e: e.requested_by, message,
            comment_of=lambda e: e.decision_note)

    @classmethod
    def check_decider(cls, extensions):
        "Only the leader of the ticket's team, or an admin, decides."
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        user = Transaction().user
        if not user or ModelData.get_id(
                'callcenter_base', 'group_admin') in User.get_groups():
            return
        for extension in extensions:
            team = extension.ticket.team
            if not team or not team.leader or team.leader.id != user:
                raise SLAExtensionDecisionError(gettext(
                        'callcenter_ticket.msg_sla_extension_not_leader',
                        ticket=extension.ticket.rec_name,
                        team=team.rec_name if team else ''))

    @classmethod
    def _notify(cls, extensions, get_user, message, comment_of=None):
        "Tell the users through the ticket's notices."
        Ticket = Pool().get('callcenter.ticket')
        for extension in extensions:
            Ticket._notify([extension.ticket],
                lambda t: get_user(extension), message,
                comment=comment_of(extension) if comment_of
                else extension.reason)


class Ticket(metaclass=PoolMeta):
    __name__ = 'callcenter.ticket'
    sla_extensions = fields.One2Many(
        'callcenter.ticket.sla_extension', 'ticket', "SLA Extensions",
        help="Requests for more time to resolve the ticket.")

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('sla_extensions', None)
        return super().copy(tickets, default=default)
