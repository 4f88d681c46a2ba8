"""Dispositions (marketing results) and holidays."""
import datetime as dt

from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, sequence_ordered, fields)
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .task import FOLLOW_UP_STATES


class Disposition(
        DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "The result an agent gives a call: it drives recycling and follow-up."
    __name__ = 'callcenter.campaign.disposition'
    __string__ = "Disposition"
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    follow_up_state = fields.Selection(
        [(None, "")] + FOLLOW_UP_STATES, "Follow-up State",
        help="The lead's follow-up state after this result; empty keeps it.")
    action = fields.Selection([
            ('recycle', "Call Again"),
            ('callback', "Callback"),
            ('final', "Final"),
            ('do_not_call', "Do Not Call"),
            ], "Action", required=True,
        help="Call Again: after the recycle delay; Callback: at the time the "
        "agent sets; Final: never again; Do Not Call: never again and the "
        "number goes on the company's do-not-call list.")
    recycle_delay = fields.TimeDelta(
        "Recycle Delay",
        states={'invisible': Eval('action') != 'recycle'},
        help="How long before the lead is dialled again.")
    conversion = fields.Boolean(
        "Conversion", help="Counts as a success in the results.")
    invalid_number = fields.Boolean(
        "Invalid Number", help="The number dialled is marked invalid.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.company, Index.Equality()),
                (t.code, Index.Equality())))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_action():
        return 'recycle'

    @staticmethod
    def default_recycle_delay():
        return dt.timedelta(hours=2)

    @staticmethod
    def default_conversion():
        return False

    @staticmethod
    def default_invalid_number():
        return False


class Holiday(ModelSQL, ModelView):
    "A day on which campaigns do not dial."
    __name__ = 'callcenter.campaign.holiday'
    __string__ = "Campaign Holiday"
    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.Date("Date", required=True,
        help="In the lead's own time zone.")
    name = fields.Char("Name", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')
