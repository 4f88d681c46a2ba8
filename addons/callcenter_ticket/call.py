"""Calls and tickets, when the CTI module is active: the ticket pop."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Call(metaclass=PoolMeta):
    __name__ = 'callcenter.call'
    tickets = fields.One2Many(
        'callcenter.ticket', 'call', "Tickets",
        help="The tickets opened on the call.")

    @classmethod
    def _screen_pop_tabs(cls, call, parties, agent=None):
        "After the customer and the panel, a new ticket of the agent's type."
        tabs = super()._screen_pop_tabs(call, parties, agent)
        if agent and cls._wants_ticket_pop(agent):
            tabs.append(cls._ticket_tab(call, agent))
        return tabs

    @classmethod
    def _wants_ticket_pop(cls, agent):
        "A preferred ticket type, or the ticket screen pop, asks for it."
        return bool(agent.user.callcenter_ticket_type
            or agent.preferred_pop == 'ticket')

    @classmethod
    def _ticket_tab(cls, call, agent):
        type_ = agent.user.callcenter_ticket_type
        context = {
            'default_call': call.id,
            'default_channel': 'phone',
            }
        if type_:
            context['default_type'] = type_.id
        if call.party:
            context['default_party'] = call.party.id
        return {'model': 'callcenter.ticket', 'mode': ['form'],
            'context': context}


class Ticket(metaclass=PoolMeta):
    __name__ = 'callcenter.ticket'
    call = fields.Many2One(
        'callcenter.call', "Call", ondelete='SET NULL',
        states={'readonly': Eval('state') != 'draft'},
        help="The call the ticket was opened on.")

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default else {}
        default.setdefault('call', None)
        return super().copy(tickets, default=default)
