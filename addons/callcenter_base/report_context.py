"""The company and dates a call-center report is read for: the part every
report's context model (the form above its list and graph) shares."""
import datetime as dt

from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction


class DateRangeContext:
    """Company, from and to date of a report's context; by default the
    report shows the last ``_history_days`` days, from the first of that
    month when ``_from_month_start``."""
    __slots__ = ()
    _history_days = 90
    _from_month_start = True
    company = fields.Many2One('company.company', "Company", required=True)
    from_date = fields.Date("From Date",
        domain=[If(Eval('to_date') & Eval('from_date'),
                ('from_date', '<=', Eval('to_date')), ())])
    to_date = fields.Date("To Date",
        domain=[If(Eval('from_date') & Eval('to_date'),
                ('to_date', '>=', Eval('from_date')), ())])

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_from_date(cls):
        context = Transaction().context
        if 'from_date' in context:
            return context['from_date']
        start = Pool().get('ir.date').today()
        if cls._from_month_start:
            start = start.replace(day=1)
        return start - dt.timedelta(days=cls._history_days)

    @classmethod
    def default_to_date(cls):
        return Transaction().context.get('to_date')
