"""QA results (QA-05): evaluations by agent, team, template and period.

SQL views over the submitted evaluations the user may read (the
evaluation's record rules apply: agents count their own, leaders their
teams', QA and admins all; calibration grades stay out), grouped by
period and by the dimension of the context.
"""

from sql import Cast, Column, Null
from sql.aggregate import Avg, Count, Min, Sum
from sql.functions import DateTrunc, Round
from sql.operators import Concat

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.callcenter_base.report_context import DateRangeContext
from trytond.pool import Pool
from trytond.transaction import Transaction

PERIODS = [
    ('month', "Month"),
    ('week', "Week"),
    ('day', "Day"),
    ]
DIMENSIONS = [
    ('agent', "Agent"),
    ('team', "Team"),
    ('template', "Template"),
    ('grader', "Grader"),
    ]
KEY_TYPES = {
    'agent': 'INTEGER', 'team': 'INTEGER', 'template': 'INTEGER',
    'grader': 'INTEGER'}


class ReportMixin:
    "Grouping of the evaluations the user may read, by the context."
    __slots__ = ()
    company = fields.Many2One('company.company', "Company", readonly=True)
    period = fields.Date("Period", readonly=True,
        help="The first day of the month, week or day graded.")
    count = fields.Integer("Evaluations", readonly=True)
    average = fields.Numeric("Average Score", digits=(5, 2), readonly=True)

    @classmethod
    def _evaluations(cls, context):
        "One row per evaluation in the context, with its period."
        Evaluation = Pool().get('callcenter.qa.evaluation')
        evaluation = Evaluation.__table__()
        period = cls._period_column(evaluation, context)
        return evaluation.select(
            evaluation.id, evaluation.company, period.as_('period'),
            evaluation.agent, evaluation.team, evaluation.template,
            evaluation.grader, evaluation.score, evaluation.passed,
            evaluation.auto_failed,
            where=cls._where(evaluation, period, context))

    @classmethod
    def _period_column(cls, evaluation, context):
        period = context.get('period') or 'month'
        if period not in dict(PERIODS):
            period = 'month'
        return Cast(DateTrunc(period, evaluation.date), 'DATE')

    @classmethod
    def _where(cls, evaluation, period, context):
        "Submitted, outside calibration, in the dates, readable by the user."
        Rule = Pool().get('ir.rule')
        where = ((evaluation.company == context.get('company', -1))
            & (evaluation.state != 'draft')
            & (evaluation.calibration == Null))
        if context.get('from_date'):
            where &= evaluation.date >= context['from_date']
        if context.get('to_date'):
            where &= evaluation.date <= context['to_date']
        for name in ['template', 'team']:
            if context.get(name):
                where &= Column(evaluation, name) == context[name]
        if Rule.domain_get('callcenter.qa.evaluation', mode='read'):
            where &= evaluation.id.in_(
                Rule.query_get('callcenter.qa.evaluation'))
        return where

    @classmethod
    def _group_by(cls, context):
        group_by = context.get('group_by')
        return group_by if group_by in dict(DIMENSIONS) else 'agent'



class Report(ReportMixin, ModelSQL, ModelView):
    "The evaluations of one period and one agent, team, template or grader."
    __name__ = 'callcenter.qa.report'
    __string__ = "QA Report"
    agent = fields.Many2One('callcenter.agent', "Agent", readonly=True)
    team = fields.Many2One('callcenter.team', "Team", readonly=True)
    template = fields.Many2One(
        'callcenter.qa.template', "Template", readonly=True)
    grader = fields.Many2One('res.user', "Grader", readonly=True)
    group_label = fields.Char("Group", readonly=True)
    passed = fields.Integer("Passed", readonly=True)
    pass_rate = fields.Float("Pass Rate", digits=(16, 4), readonly=True,
        help="The share of the evaluations that passed.")
    auto_failed = fields.Integer("Auto-Fails", readonly=True,
        help="Evaluations an auto-fail line scored 0.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('period', 'DESC'), ('count', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        context = Transaction().context
        group_by = cls._group_by(context)
        evaluation = cls._evaluations(context)
        period = evaluation.period
        keys = {name: Column(evaluation, name) if name == group_by
            else Cast(Null, type_) for name, type_ in KEY_TYPES.items()}
        count = Count(evaluation.id)
        passed = Sum(Cast(evaluation.passed, 'INTEGER'))
        grouped = evaluation.select(
            Min(evaluation.id).as_('id'),
            evaluation.company.as_('company'),
            period.as_('period'),
            *(column.as_(name) for name, column in keys.items()),
            count.as_('count'),
            Round(Avg(evaluation.score), 2).as_('average'),
            passed.as_('passed'),
            (Cast(passed, 'FLOAT') / count).as_('pass_rate'),
            Sum(Cast(evaluation.auto_failed, 'INTEGER')).as_('auto_failed'),
            group_by=[evaluation.company, period, keys[group_by]])
        from_, label = cls._label(grouped, group_by)
        return from_.select(
            *(Column(grouped, n) for n in ['id', 'company', 'period',
                    *KEY_TYPES, 'count', 'average', 'passed', 'pass_rate',
                    'auto_failed']),
            label.as_('group_label'))

    @classmethod
    def _label(cls, grouped, group_by):
        "The rows joined to their group's name, as its record names it."
        pool = Pool()
        user = pool.get('res.user').__table__()
        if group_by == 'agent':
            agent = pool.get('callcenter.agent').__table__()
            return (grouped.join(agent, condition=grouped.agent == agent.id)
                .join(user, condition=agent.user == user.id),
                Concat(user.name, Concat(' (', Concat(
                            agent.extension, ')'))))
        if group_by == 'grader':
            return (grouped.join(user, condition=grouped.grader == user.id),
                user.name)
        if group_by == 'team':
            team = pool.get('callcenter.team').__table__()
            return (grouped.join(team, 'LEFT',
                    condition=grouped.team == team.id), team.name)
        template = pool.get('callcenter.qa.template').__table__()
        return (grouped.join(template,
                condition=grouped.template == template.id),
            Concat(template.name, Concat(' (v', Concat(
                        Cast(template.version, 'VARCHAR'), ')'))))


class ReportItem(ReportMixin, ModelSQL, ModelView):
    "The average of one form line over the evaluations of a period."
    __name__ = 'callcenter.qa.report.item'
    __string__ = "QA Item Report"
    template = fields.Many2One(
        'callcenter.qa.template', "Template", readonly=True)
    name = fields.Char("Item", readonly=True)
    na_count = fields.Integer("N/A", readonly=True,
        help="Evaluations where the line did not apply.")
    average = fields.Numeric("Average Score", digits=(5, 2), readonly=True,
        help="The average score of the line in percent of its maximum.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('period', 'DESC'), ('template', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        Line = Pool().get('callcenter.qa.evaluation.line')
        line = Line.__table__()
        context = Transaction().context
        evaluation = cls._evaluations(context)
        period = evaluation.period
        scored = Cast(line.score * 100 / line.max_score, 'NUMERIC')
        return line.join(evaluation,
            condition=line.evaluation == evaluation.id).select(
            Min(line.id).as_('id'),
            evaluation.company.as_('company'),
            period.as_('period'),
            evaluation.template.as_('template'),
            line.name.as_('name'),
            Count(line.score).as_('count'),
            Round(Avg(scored), 2).as_('average'),
            Sum(Cast(line.na, 'INTEGER')).as_('na_count'),
            group_by=[evaluation.company, period, evaluation.template,
                line.name])


class ReportContext(DateRangeContext, ModelView):
    "The dates, period and grouping of the QA reports."
    __name__ = 'callcenter.qa.report.context'
    __string__ = "QA Report Context"
    period = fields.Selection(PERIODS, "Period", required=True)
    group_by = fields.Selection(DIMENSIONS, "Group By", required=True)
    template = fields.Many2One('callcenter.qa.template', "Template")
    team = fields.Many2One('callcenter.team', "Team")

    @classmethod
    def default_period(cls):
        return Transaction().context.get('period', 'month')

    @classmethod
    def default_group_by(cls):
        return Transaction().context.get('group_by', 'agent')
