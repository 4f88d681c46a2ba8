"""Ticket statistics: counts, response and resolution times, SLA breaches.

An SQL view over the tickets the user may read (the ticket's record rules
apply: agents count their own tickets, team leaders their teams', admins
and QA every ticket), grouped by period and by the dimension chosen in the
context.
"""
import datetime as dt

from sql import Cast, Column, Null
from sql.aggregate import Avg, Count, Min, Sum
from sql.conditionals import Coalesce
from sql.functions import DateTrunc, Extract

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.callcenter_base.report_context import DateRangeContext
from trytond.pool import Pool
from trytond.transaction import Transaction

from .ticket import STATES

PERIODS = [
    ('month', "Month"),
    ('week', "Week"),
    ('day', "Day"),
    ]
DIMENSIONS = [
    ('type', "Type"),
    ('state', "State"),
    ('agent', "Agent"),
    ('team', "Team"),
    ]


class TicketStatistics(ModelSQL, ModelView):
    "The tickets of one period and one type, state, agent or team."
    __name__ = 'callcenter.ticket.statistics'
    __string__ = "Ticket Statistics"
    company = fields.Many2One('company.company', "Company", readonly=True)
    period = fields.Date("Period", readonly=True,
        help="The first day of the month, week or day the tickets were "
        "opened (created, for drafts), in UTC.")
    type = fields.Many2One('callcenter.ticket.type', "Type", readonly=True)
    state = fields.Selection([(None, "")] + STATES, "State", readonly=True)
    agent = fields.Many2One('res.user', "Agent", readonly=True)
    team = fields.Many2One('callcenter.team', "Team", readonly=True)
    group_label = fields.Function(fields.Char("Group"), 'get_group_label')
    count = fields.Integer("Tickets", readonly=True)
    response_hours = fields.Float("Average Response Hours", digits=(16, 2),
        readonly=True,
        help="From submission to acceptance, in calendar hours.")
    resolution_hours = fields.Float("Average Resolution Hours",
        digits=(16, 2), readonly=True,
        help="From submission to resolution, in calendar hours.")
    response_business_hours = fields.Float(
        "Average Response Business Hours", digits=(16, 2), readonly=True,
        help="From submission to acceptance, in business hours.")
    resolution_business_hours = fields.Float(
        "Average Resolution Business Hours", digits=(16, 2), readonly=True,
        help="From submission to resolution, in business hours, less the "
        "time spent waiting on the customer.")
    breached = fields.Integer("SLA Breaches", readonly=True,
        help="Tickets flagged overdue.")
    breach_rate = fields.Float("SLA Breach Rate", digits=(16, 4),
        readonly=True, help="The share of the tickets flagged overdue.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('period', 'DESC'), ('count', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        context = Transaction().context
        group_by = context.get('group_by')
        if group_by not in dict(DIMENSIONS):
            group_by = 'type'
        tickets = cls._ticket_query(context)
        keys = cls._key_columns(tickets, group_by)
        return tickets.select(
            Min(tickets.id).as_('id'),
            tickets.company.as_('company'),
            tickets.period.as_('period'),
            *(column.as_(name) for name, column in keys.items()),
            *cls._metric_columns(tickets),
            group_by=[tickets.company, tickets.period, keys[group_by]])

    @classmethod
    def _ticket_query(cls, context):
        "One row per ticket with its period and hours to respond and resolve."
        ticket = Pool().get('callcenter.ticket').__table__()
        period = cls._period_column(ticket)

        def hours(end):
            return Extract('EPOCH', end - ticket.opened_at) / 3600
        return ticket.select(
            ticket.id, ticket.company, period.as_('period'), ticket.type,
            ticket.state, ticket.assignee.as_('agent'), ticket.team,
            ticket.overdue,
            hours(ticket.responded_at).as_('response_hours'),
            hours(ticket.resolved_at).as_('resolution_hours'),
            ticket.response_business_hours,
            ticket.resolution_business_hours,
            where=cls._where(ticket, period, context))

    @classmethod
    def _period_column(cls, ticket):
        period = Transaction().context.get('period') or 'month'
        if period not in dict(PERIODS):
            period = 'month'
        opened = Coalesce(ticket.opened_at, ticket.create_date)
        return Cast(DateTrunc(period, opened), 'DATE')

    @classmethod
    def _key_columns(cls, tickets, group_by):
        "The grouping column of the dimension; the others stay empty."
        types = {
            'type': 'INTEGER', 'state': 'VARCHAR',
            'agent': 'INTEGER', 'team': 'INTEGER'}
        return {name: Column(tickets, name) if name == group_by
            else Cast(Null, type_)
            for name, type_ in types.items()}

    @classmethod
    def _metric_columns(cls, tickets):
        count = Count(tickets.id)
        breached = Sum(Cast(Coalesce(tickets.overdue, False), 'INTEGER'))
        return [
            count.as_('count'),
            Avg(tickets.response_hours).as_('response_hours'),
            Avg(tickets.resolution_hours).as_('resolution_hours'),
            Avg(tickets.response_business_hours).as_(
                'response_business_hours'),
            Avg(tickets.resolution_business_hours).as_(
                'resolution_business_hours'),
            breached.as_('breached'),
            (Cast(breached, 'FLOAT') / count).as_('breach_rate'),
            ]

    @classmethod
    def _where(cls, ticket, period, context):
        "The company, the dates of the context and the user's tickets."
        Rule = Pool().get('ir.rule')
        where = ticket.company == context.get('company', -1)
        if context.get('from_date'):
            where &= period >= cls._start(context['from_date'])
        if context.get('to_date'):
            where &= period <= context['to_date']
        if Rule.domain_get('callcenter.ticket', mode='read'):
            where &= ticket.id.in_(Rule.query_get('callcenter.ticket'))
        return where

    @classmethod
    def _start(cls, date):
        "The first day of the period holding date."
        period = Transaction().context.get('period') or 'month'
        if period == 'month':
            return date.replace(day=1)
        if period == 'week':
            return date - dt.timedelta(days=date.weekday())
        return date

    def get_group_label(self, name):
        "The label of the group: its type, state, agent or team."
        if self.state:
            return dict(self.fields_get(['state'])['state']['selection'])[
                self.state]
        for record in [self.type, self.agent, self.team]:
            if record:
                return record.rec_name
        return ''


class TicketStatisticsContext(DateRangeContext, ModelView):
    "The period, dates and grouping of the ticket statistics."
    __name__ = 'callcenter.ticket.statistics.context'
    __string__ = "Ticket Statistics Context"
    _history_days = 365
    period = fields.Selection(PERIODS, "Period", required=True)
    group_by = fields.Selection(DIMENSIONS, "Group By", required=True)

    @classmethod
    def default_period(cls):
        return Transaction().context.get('period', 'month')

    @classmethod
    def default_group_by(cls):
        return Transaction().context.get('group_by', 'type')
