"""Risk reasons from tickets, when the ticket module is active: a complaint
ticket, or a ticket reopened, opened by the caller within the list's
follow-up days after the call."""
import datetime as dt

from sql import Literal, Null
from sql.operators import Exists

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


class QaList(metaclass=PoolMeta):
    __name__ = 'callcenter.qa.list'
    complaint_type = fields.Many2One(
        'callcenter.ticket.type', "Complaint Type",
        states={
            'readonly': Eval('state') != 'new',
            'invisible': ~Eval('risk_weighting'),
            },
        help="A ticket of this type after the call is a risk reason.")

    def _get_risk_reasons(self, call):
        reasons = super()._get_risk_reasons(call)
        if self.complaint_type:
            reasons.append(('complaint_ticket', Exists(
                        self._followed_by_ticket(call,
                            type_=self.complaint_type.id))))
        reasons.append(('reopened_ticket', Exists(
                    self._followed_by_ticket(call, reopened=True))))
        return reasons

    @classmethod
    def _get_risk_reason_codes(cls):
        return super()._get_risk_reason_codes() + [
            'complaint_ticket', 'reopened_ticket']

    def _followed_by_ticket(self, call, type_=None, reopened=False):
        "Tickets of the caller opened within the follow-up days."
        pool = Pool()
        Ticket = pool.get('callcenter.ticket')
        History = pool.get('callcenter.ticket.history')
        ticket = Ticket.__table__()
        history = History.__table__()
        days = dt.timedelta(days=self.risk_days or 0)
        where = ((ticket.call == call.id) | ((call.party != Null)
                & (ticket.party == call.party)
                & (ticket.create_date >= call.start_at)
                & (ticket.create_date <= call.start_at + days)))
        if type_:
            where &= ticket.type == type_
        if reopened:
            where &= Exists(history.select(Literal(1),
                    where=(history.ticket == ticket.id)
                    & (history.to_state == 'open')
                    & history.from_state.in_(
                        ['resolved', 'closed', 'cancelled'])))
        return ticket.select(Literal(1), where=where)
