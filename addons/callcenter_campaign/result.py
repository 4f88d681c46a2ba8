"""Campaign results (CMP-05): SQL views over the attempts.

* per campaign and day: dialled, live, machine, busy, no answer, invalid,
  abandoned, the abandon rate of calls a person answered (machines and
  unanswered calls out of the denominator, as UK and US rules count),
  talk time and conversions;
* per campaign and agent: the same, with the agent's occupancy (talk
  time over logged-in time in the dates of the context);
* per campaign and disposition: how many calls ended with each result.

The campaign itself shows its abandon rate over the last 24 h and 30 days.
"""
import datetime as dt

from sql import Cast, Literal
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Extract

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.callcenter_base.report_context import DateRangeContext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .dialing import abandon_counts

OUTCOME_COLUMNS = ['live', 'machine', 'busy', 'no_answer', 'invalid',
    'abandoned']


class ResultMixin:
    __slots__ = ()
    company = fields.Many2One('company.company', "Company", readonly=True)
    campaign = fields.Many2One(
        'callcenter.campaign', "Campaign", readonly=True)
    dialled = fields.Integer("Dialled", readonly=True)
    live = fields.Integer("Live", readonly=True)
    machine = fields.Integer("Machine", readonly=True)
    busy = fields.Integer("Busy", readonly=True)
    no_answer = fields.Integer("No Answer", readonly=True)
    invalid = fields.Integer("Invalid", readonly=True)
    abandoned = fields.Integer("Abandoned", readonly=True)
    abandon_rate = fields.Float("Abandon Rate %", digits=(5, 2),
        readonly=True, help="Abandoned calls in % of calls a person "
        "answered (live and abandoned).")
    talk_minutes = fields.Float("Talk Minutes", digits=(16, 1),
        readonly=True)
    conversions = fields.Integer("Conversions", readonly=True)

    @staticmethod
    def _attempts():
        "The attempts of the company in the dates of the context."
        pool = Pool()
        Attempt = pool.get('callcenter.campaign.attempt')
        Disposition = pool.get('callcenter.campaign.disposition')
        attempt = Attempt.__table__()
        disposition = Disposition.__table__()
        context = Transaction().context
        where = attempt.company == context.get('company', -1)
        if context.get('from_date'):
            where &= attempt.started_at >= dt.datetime.combine(
                context['from_date'], dt.time())
        if context.get('to_date'):
            where &= attempt.started_at < dt.datetime.combine(
                context['to_date'] + dt.timedelta(days=1), dt.time())
        return attempt.join(disposition, 'LEFT',
            condition=attempt.disposition == disposition.id), attempt, \
            disposition, where

    @classmethod
    def _metrics(cls, attempt, disposition):
        def count(outcome):
            return Sum(Case((attempt.outcome == outcome, 1), else_=0))
        answered = count('live') + count('abandoned')
        rate = Case((answered > 0,
                Cast(count('abandoned'), 'FLOAT') * 100 / answered),
            else_=Literal(0.0))
        talk = Sum(Coalesce(Extract('EPOCH', attempt.talk_duration), 0))
        return [Count(attempt.id).as_('dialled'),
            *(count(o).as_(o) for o in OUTCOME_COLUMNS),
            rate.as_('abandon_rate'),
            (Cast(talk, 'FLOAT') / 60).as_('talk_minutes'),
            Sum(Case((disposition.conversion == Literal(True), 1),
                    else_=0)).as_('conversions')]


class CampaignResult(ResultMixin, ModelSQL, ModelView):
    "The attempts of a campaign on one day."
    __name__ = 'callcenter.campaign.result'
    __string__ = "Campaign Result"
    date = fields.Date("Date", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('campaign', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        query, attempt, disposition, where = cls._attempts()
        day = Cast(attempt.started_at, 'DATE')
        return query.select(Min(attempt.id).as_('id'),
            attempt.company.as_('company'), attempt.campaign.as_('campaign'),
            day.as_('date'), *cls._metrics(attempt, disposition),
            where=where,
            group_by=[attempt.company, attempt.campaign, day])


class AgentResult(ResultMixin, ModelSQL, ModelView):
    "The calls of a campaign connected to one agent."
    __name__ = 'callcenter.campaign.result.agent'
    __string__ = "Campaign Agent Result"
    agent = fields.Many2One('res.user', "Agent", readonly=True)
    occupancy = fields.Function(fields.Float("Occupancy", digits=(3, 2),
            help="Talk time over logged-in time in the dates chosen."),
        'get_occupancy')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('campaign', 'ASC'), ('agent', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        query, attempt, disposition, where = cls._attempts()
        return query.select(Min(attempt.id).as_('id'),
            attempt.company.as_('company'), attempt.campaign.as_('campaign'),
            attempt.agent.as_('agent'), *cls._metrics(attempt, disposition),
            where=where & (attempt.agent != None),  # noqa: E711
            group_by=[attempt.company, attempt.campaign, attempt.agent])

    @classmethod
    def get_occupancy(cls, results, name):
        logged = _logged_seconds({r.agent.id for r in results})
        return {r.id: (round(r.talk_minutes * 60 / logged[r.agent.id], 2)
                if logged.get(r.agent.id) else None) for r in results}


def _logged_seconds(user_ids):
    "Seconds each user's agent was logged in, in the dates of the context."
    pool = Pool()
    State = pool.get('callcenter.agent.state')
    Agent = pool.get('callcenter.agent')
    state, agent = State.__table__(), Agent.__table__()
    context = Transaction().context
    start = dt.datetime.combine(
        context.get('from_date') or dt.date(1970, 1, 1), dt.time())
    end = dt.datetime.combine(
        (context.get('to_date') or dt.date.today()) + dt.timedelta(days=1),
        dt.time())
    until = Coalesce(state.end, dt.datetime.now())
    cursor = Transaction().connection.cursor()
    cursor.execute(*state.join(agent, condition=state.agent == agent.id
            ).select(agent.user, Sum(Extract('EPOCH', until - state.start)),
            where=agent.user.in_(list(user_ids) or [-1])
            & (state.state != 'logged_out')
            & (state.start >= start) & (state.start < end),
            group_by=[agent.user]))
    return {u: float(s or 0) for u, s in cursor}


class DispositionResult(ModelSQL, ModelView):
    "How many calls of a campaign ended with one disposition."
    __name__ = 'callcenter.campaign.result.disposition'
    __string__ = "Campaign Disposition Result"
    company = fields.Many2One('company.company', "Company", readonly=True)
    campaign = fields.Many2One(
        'callcenter.campaign', "Campaign", readonly=True)
    disposition = fields.Many2One(
        'callcenter.campaign.disposition', "Disposition", readonly=True)
    conversion = fields.Boolean("Conversion", readonly=True)
    count = fields.Integer("Calls", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('count', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        query, attempt, disposition, where = ResultMixin._attempts()
        return query.select(Min(attempt.id).as_('id'),
            attempt.company.as_('company'), attempt.campaign.as_('campaign'),
            attempt.disposition.as_('disposition'),
            disposition.conversion.as_('conversion'),
            Count(attempt.id).as_('count'),
            where=where & (attempt.disposition != None),  # noqa: E711
            group_by=[attempt.company, attempt.campaign,
                attempt.disposition, disposition.conversion])


class ResultContext(DateRangeContext, ModelView):
    "The dates of the campaign results."
    __name__ = 'callcenter.campaign.result.context'
    __string__ = "Campaign Result Context"
    _history_days = 30
    _from_month_start = False


class Campaign(metaclass=PoolMeta):
    __name__ = 'callcenter.campaign'
    abandon_rate_24h = fields.Function(fields.Float(
            "Abandon Rate 24 h %", digits=(5, 2),
            help="Abandoned calls in % of calls a person answered, over "
            "the last 24 hours (Ofcom's window)."), 'get_abandon_rate')
    abandon_rate_30d = fields.Function(fields.Float(
            "Abandon Rate 30 Days %", digits=(5, 2),
            help="The same over the last 30 days (the FTC's window)."),
        'get_abandon_rate')

    def get_abandon_rate(self, name):
        days = 1 if name == 'abandon_rate_24h' else 30
        since = dt.datetime.now() - dt.timedelta(days=days)
        return round(abandon_counts(self, since)['rate'], 2)
