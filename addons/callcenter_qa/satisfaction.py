"""Satisfaction survey results per agent and month (CTI-11): "My
Satisfaction" as a list and a graph. Agents see their own rows, team
leaders their teams', QA staff and admins all (record rules)."""
from sql import Literal, Null
from sql.aggregate import Count, Min
from sql.functions import DateTrunc

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool


class Satisfaction(ModelSQL, ModelView):
    "Survey answers of an agent's calls in a month."
    __name__ = 'callcenter.qa.satisfaction'
    __string__ = "Satisfaction"
    company = fields.Many2One('company.company', "Company", readonly=True)
    agent = fields.Many2One('callcenter.agent', "Agent", readonly=True)
    month = fields.Date("Month", readonly=True)
    survey = fields.Selection('get_survey_answers', "Survey", readonly=True)
    calls = fields.Integer("Calls", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('month', 'DESC'), ('agent', 'ASC'),
            ('survey', 'ASC'), ('id', 'ASC')]

    @classmethod
    def get_survey_answers(cls):
        Call = Pool().get('callcenter.call')
        return Call.fields_get(['survey'])['survey']['selection']

    @classmethod
    def table_query(cls):
        pool = Pool()
        call = pool.get('callcenter.call').__table__()
        agent = pool.get('callcenter.agent').__table__()
        user = pool.get('res.user').__table__()
        month = DateTrunc('month', call.start_at).cast('DATE')
        answers = call.join(agent, condition=call.agent == agent.id
            ).join(user, condition=agent.user == user.id
            ).select(call.id, call.create_date, user.company, call.agent,
                month.as_('month'), call.survey,
                where=(call.survey != Null) & (call.start_at != Null))
        return answers.select(
            Min(answers.id).as_('id'),
            Literal(0).as_('create_uid'),
            Min(answers.create_date).as_('create_date'),
            answers.company.as_('company'),
            answers.agent.as_('agent'),
            answers.month.as_('month'),
            answers.survey.as_('survey'),
            Count(answers.id).as_('calls'),
            group_by=[answers.company, answers.agent, answers.month,
                answers.survey])
