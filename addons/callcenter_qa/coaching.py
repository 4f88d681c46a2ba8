"""Coaching (QA point 7): a failed evaluation opens a task for the leader.

The task names the call, the failed lines and, when the grader picked
one, a knowledge-base article (``coaching_kb.py``, with callcenter_kb).
"""
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.callcenter_base.notify import Notice, notify
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import without_check_access

STATES = [
    ('open', "Open"),
    ('done', "Done"),
    ]


class Coaching(Workflow, ModelSQL, ModelView):
    "A coaching task for the team leader of an agent who failed QA."
    __name__ = 'callcenter.qa.coaching'
    __string__ = "QA Coaching"
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    evaluation = fields.Many2One(
        'callcenter.qa.evaluation', "Evaluation", required=True,
        readonly=True, ondelete='CASCADE')
    call = fields.Many2One(
        'callcenter.call', "Call", readonly=True, ondelete='CASCADE')
    agent = fields.Many2One(
        'callcenter.agent', "Agent", required=True, readonly=True)
    leader = fields.Many2One(
        'res.user', "Leader", readonly=True,
        help="The team leader who coaches the agent.")
    failed_lines = fields.Many2Many(
        'callcenter.qa.coaching-evaluation.line', 'coaching', 'line',
        "Failed Items", readonly=True)
    score = fields.Function(
        fields.Numeric("Score", digits=(5, 2)), 'get_score')
    notes = fields.Text("Notes", states={'readonly': Eval('state') == 'done'},
        help="What was agreed with the agent.")
    state = fields.Selection(STATES, "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls._transitions |= {('open', 'done'), ('done', 'open')}
        cls._buttons.update({
                'done': {'invisible': Eval('state') != 'open',
                    'depends': ['state']},
                'reopen': {'invisible': Eval('state') != 'done',
                    'depends': ['state']},
                })

    @staticmethod
    def default_state():
        return 'open'

    def get_score(self, name):
        return self.evaluation.score

    def get_rec_name(self, name):
        return self.evaluation.rec_name

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, coachings):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, coachings):
        pass

    @classmethod
    def open_for(cls, evaluations):
        "Open one coaching task per failed evaluation and tell the leader."
        with without_check_access():
            existing = {c.evaluation for c in cls.search(
                    [('evaluation', 'in', [e.id for e in evaluations])])}
            coachings = cls.create([cls._get_values(e)
                    for e in evaluations if e not in existing])
        notify([Notice(c.leader, c, gettext(
                        'callcenter_qa.msg_notify_coaching',
                        agent=c.agent.rec_name, evaluation=c.rec_name))
                for c in coachings if c.leader])
        return coachings

    @classmethod
    def _get_values(cls, evaluation):
        return {
            'company': evaluation.company.id,
            'evaluation': evaluation.id,
            'call': evaluation.call.id,
            'agent': evaluation.agent.id,
            'leader': cls._get_leader(evaluation),
            'failed_lines': [('add', [
                        l.id for l in evaluation.lines if l.failed])],
            }

    @classmethod
    def _get_leader(cls, evaluation):
        "The leader of the evaluation's team, else of any of the agent's."
        Team = Pool().get('callcenter.team')
        if evaluation.team and evaluation.team.leader:
            return evaluation.team.leader.id
        user = evaluation.agent.user
        teams = Team.search([('members', '=', user.id),
                ('leader', '!=', None)], limit=1) if user else []
        return teams[0].leader.id if teams else None


class CoachingLine(ModelSQL):
    "A failed item discussed in a coaching task."
    __name__ = 'callcenter.qa.coaching-evaluation.line'
    __string__ = "QA Coaching Item"
    coaching = fields.Many2One(
        'callcenter.qa.coaching', "Coaching", required=True,
        ondelete='CASCADE')
    line = fields.Many2One(
        'callcenter.qa.evaluation.line', "Line", required=True,
        ondelete='CASCADE')
