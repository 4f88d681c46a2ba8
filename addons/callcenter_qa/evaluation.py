"""Grading a call on a QA form (QA-04) and what follows it.

A grader fills one line per template line and submits; the agent is told,
then acknowledges or disputes once with a comment; a dispute goes to the
QA leads, who confirm the score or rescore it. Every step is a history
line. Scores are stored so that the reports can aggregate them in SQL.
"""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.callcenter_base.notify import Notice, notify
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import EvaluationLineError, EvaluationStateError
from .template import percent

STATES = [
    ('draft', "Draft"),
    ('submitted', "Submitted"),
    ('acknowledged', "Acknowledged"),
    ('disputed', "Disputed"),
    ('confirmed', "Confirmed"),
    ('rescored', "Rescored"),
    ]
ACTIONS = [
    ('created', "Created"),
    ('submitted', "Submitted"),
    ('acknowledged', "Acknowledged"),
    ('disputed', "Disputed"),
    ('confirmed', "Confirmed"),
    ('rescored', "Rescored"),
    ]
SCORE_FIELDS = {'points', 'possible', 'score', 'passed', 'auto_failed'}
_GRADING = {'readonly': ~Eval('state').in_(['draft', 'disputed'])}


def compute(lines):
    """(points, possible, score, auto_failed) of graded lines.

    Weighted points over weighted possible points in percent; N/A lines
    count 0 of 0; an auto-fail line below its maximum gives 0."""
    points = possible = Decimal(0)
    auto_failed = False
    for line in lines:
        if line.na or line.score is None:
            continue
        weight = line.weight or Decimal(1)
        points += line.score * weight
        possible += (line.max_score or 0) * weight
        if line.auto_fail and line.score < (line.max_score or 0):
            auto_failed = True
    score = percent(points, possible)
    if auto_failed:
        score = Decimal('0.00')
    return points, possible, score, auto_failed


class Evaluation(Workflow, ModelSQL, ModelView):
    "The grading of one call on a QA form."
    __name__ = 'callcenter.qa.evaluation'
    __string__ = "QA Evaluation"
    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'draft'})
    call = fields.Many2One(
        'callcenter.call', "Call", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'draft'})
    agent = fields.Many2One(
        'callcenter.agent', "Agent", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'draft'})
    agent_user = fields.Function(
        fields.Many2One('res.user', "Agent User"), 'get_agent_user',
        searcher='search_agent_user')
    team = fields.Many2One(
        'callcenter.team', "Team", ondelete='SET NULL',
        states={'readonly': Eval('state') != 'draft'},
        help="The agent's team when graded, for the team reports.")
    template = fields.Many2One(
        'callcenter.qa.template', "Template", required=True,
        ondelete='RESTRICT',
        domain=[If(Eval('state') == 'draft',
                ('state', '=', 'active'), ())],
        states={'readonly': (Eval('state') != 'draft') | Bool(Eval('lines'))})
    grader = fields.Many2One(
        'res.user', "Grader", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'draft'})
    date = fields.Date(
        "Date", required=True, states={'readonly': Eval('state') != 'draft'},
        help="The day the call was graded, for the reports.")
    lines = fields.One2Many(
        'callcenter.qa.evaluation.line', 'evaluation', "Lines",
        states=_GRADING)
    comment = fields.Text("Comment", states=_GRADING,
        help="The grader's summary for the agent.")
    points = fields.Numeric("Points", digits=(16, 2), readonly=True)
    possible = fields.Numeric("Possible", digits=(16, 2), readonly=True)
    score = fields.Numeric(
        "Score", digits=(5, 2), readonly=True,
        help="Weighted points over possible points, in percent.")
    live_score = fields.Function(
        fields.Numeric("Score", digits=(5, 2)), 'on_change_with_live_score')
    passed = fields.Boolean("Passed", readonly=True)
    auto_failed = fields.Boolean("Auto-Failed", readonly=True)
    submitted_at = fields.Timestamp("Submitted", readonly=True)
    history = fields.One2Many(
        'callcenter.qa.evaluation.history', 'evaluation', "History",
        readonly=True, order=[('id', 'ASC')])
    state = fields.Selection(STATES, "State", readonly=True, required=True)
    calibration = fields.Many2One(
        'callcenter.qa.calibration', "Calibration", ondelete='CASCADE',
        states={'readonly': Eval('state') != 'draft'},
        help="The calibration session the evaluation grades blind in.")
    graded_by_me = fields.Function(
        fields.Boolean("Graded by Me"), 'get_mine', searcher='search_mine')
    about_me = fields.Function(
        fields.Boolean("About Me"), 'get_mine', searcher='search_mine')
    spread = fields.Function(
        fields.Numeric("Spread", digits=(5, 2),
            help="The score minus the calibration session's median, "
            "once the session is closed."),
        'get_spread')
    # Call details shown to the grader
    call_start = fields.Function(
        fields.Timestamp("Call Start"), 'get_call_field')
    call_talk = fields.Function(
        fields.TimeDelta("Talk Duration"), 'get_call_field')
    call_number = fields.Function(
        fields.Char("Customer Number"), 'get_call_field')
    call_party = fields.Function(
        fields.Many2One('party.party', "Customer"), 'get_call_field')
    call_notes = fields.Function(
        fields.Text("Call Notes"), 'get_call_field')
    recording = fields.Function(
        fields.Binary("Recording", filename='recording_name'),
        'get_recording')
    recording_name = fields.Function(
        fields.Char("Recording Name"), 'get_call_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'acknowledged'),
            ('submitted', 'disputed'),
            ('disputed', 'confirmed'),
            ('disputed', 'rescored'),
            }
        cls._buttons.update({
                'fill_lines': {
                    'invisible': (Eval('state') != 'draft')
                    | Bool(Eval('lines')),
                    'depends': ['state', 'lines']},
                'submit': {'invisible': Eval('state') != 'draft',
                    'depends': ['state']},
                'acknowledge': {'invisible': Eval('state') != 'submitted',
                    'depends': ['state']},
                'dispute': {'invisible': Eval('state') != 'submitted',
                    'depends': ['state']},
                'confirm': {'invisible': Eval('state') != 'disputed',
                    'depends': ['state']},
                'rescore': {'invisible': Eval('state') != 'disputed',
                    'depends': ['state']},
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_grader():
        return Transaction().user

    @staticmethod
    def default_date():
        return dt.date.today()

    @fields.depends('call', 'agent', 'team')
    def on_change_call(self):
        if self.call and self.call.agent:
            self.agent = self.call.agent
            self.team = self._get_team(self.agent)

    @classmethod
    def values_for_call(cls, call, template):
        "The values of a draft evaluation of call on template."
        return {
            'company': Transaction().context.get('company'),
            'call': call.id, 'agent': call.agent.id,
            'team': cls._get_team(call.agent),
            'template': template.id, 'grader': Transaction().user,
            }

    @staticmethod
    def _get_team(agent):
        "The first team the agent's user is a member of."
        Team = Pool().get('callcenter.team')
        if not agent or not agent.user:
            return None
        with without_check_access():
            teams = Team.search([('members', '=', agent.user.id)], limit=1)
        return teams[0].id if teams else None

    @fields.depends('lines')
    def on_change_with_live_score(self, name=None):
        return compute(self.lines or [])[2]

    _MINE = {'graded_by_me': 'grader', 'about_me': 'agent.user'}

    def get_mine(self, name):
        user = Transaction().user
        if name == 'graded_by_me':
            return self.grader.id == user
        return bool(self.agent_user) and self.agent_user.id == user

    @classmethod
    def search_mine(cls, name, clause):
        _, operator, value = clause[:3]
        positive = (operator == '=') == bool(value)
        return [(cls._MINE[name], '=' if positive else '!=',
                Transaction().user)]

    def get_spread(self, name):
        calibration = self.calibration
        if (not calibration or calibration.state != 'closed'
                or self.score is None or calibration.median is None):
            return None
        return self.score - calibration.median

    def get_agent_user(self, name):
        return self.agent.user.id if self.agent.user else None

    @classmethod
    def search_agent_user(cls, name, clause):
        return [('agent.user',) + tuple(clause[1:])]

    _CALL_FIELDS = {
        'call_start': 'start_at', 'call_talk': 'talk_duration',
        'call_number': 'number', 'call_party': 'party',
        'call_notes': 'notes', 'recording_name': 'recording_name',
        }

    @classmethod
    def get_call_field(cls, evaluations, names):
        "Call details, read whatever the reader's access to calls."
        result = {n: {} for n in names}
        with without_check_access():
            for evaluation in cls.browse(evaluations):
                for name in names:
                    value = getattr(evaluation.call, cls._CALL_FIELDS[name])
                    if isinstance(value, ModelSQL):
                        value = value.id
                    result[name][evaluation.id] = value
        return result

    @classmethod
    def get_recording(cls, evaluations, name):
        "The call's recording (or its size when the client asks for it)."
        Call = Pool().get('callcenter.call')
        context = Transaction().context
        size = context.get(f'{cls.__name__}.{name}')
        with without_check_access(), Transaction().set_context(
                **{f'{Call.__name__}.recording': size}):
            calls = Call.browse([e.call.id for e in evaluations])
            return {e.id: c.recording for e, c in zip(evaluations, calls)}

    def get_rec_name(self, name):
        return f'{self.template.name} / {self.call.rec_name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return ['OR', ('call.rec_name',) + tuple(clause[1:]),
            ('template.name',) + tuple(clause[1:])]

    @classmethod
    def on_modification(cls, mode, evaluations, field_names=None):
        super().on_modification(mode, evaluations, field_names=field_names)
        if mode == 'create':
            cls._log(evaluations, 'created')
        if mode != 'delete':
            cls.update_scores(evaluations)

    @classmethod
    def update_scores(cls, evaluations):
        "Store the score of each evaluation from its lines."
        for evaluation in evaluations:
            points, possible, score, auto_failed = compute(evaluation.lines)
            passed = score is not None and (
                score >= evaluation.template.passing_score)
            values = {'points': points, 'possible': possible,
                'score': score, 'passed': passed,
                'auto_failed': auto_failed}
            if any(getattr(evaluation, k) != v for k, v in values.items()):
                with without_check_access():
                    cls.write([evaluation], values)

    @classmethod
    def check_modification(cls, mode, evaluations, values=None,
            external=False):
        super().check_modification(
            mode, evaluations, values=values, external=external)
        if mode == 'delete':
            for evaluation in evaluations:
                if evaluation.state != 'draft':
                    raise EvaluationStateError(gettext(
                            'callcenter_qa.msg_evaluation_delete_draft',
                            evaluation=evaluation.rec_name))

    @classmethod
    def copy(cls, evaluations, default=None):
        default = default.copy() if default is not None else {}
        for name in ['history', 'submitted_at']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        default.setdefault('grader', Transaction().user)
        return super().copy(evaluations, default=default)

    @classmethod
    @ModelView.button
    def fill_lines(cls, evaluations):
        "Add one line per template line."
        Line = Pool().get('callcenter.qa.evaluation.line')
        Line.create([Line.values_from_template(e, t)
                for e in evaluations if not e.lines
                for t in e.template.lines])

    @classmethod
    def create(cls, vlist):
        evaluations = super().create(vlist)
        cls.fill_lines([e for e in evaluations if not e.lines])
        return evaluations

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, evaluations):
        pool = Pool()
        Line = pool.get('callcenter.qa.evaluation.line')
        Line.check_graded([l for e in evaluations for l in e.lines])
        cls.update_scores(evaluations)
        cls.write(evaluations, {'submitted_at': dt.datetime.now()})
        cls._log(evaluations, 'submitted')
        cls._notify_agent([e for e in evaluations if not e.calibration],
            'callcenter_qa.msg_notify_submitted')
        cls._open_coaching(evaluations)

    @classmethod
    @ModelView.button
    @Workflow.transition('acknowledged')
    def acknowledge(cls, evaluations):
        cls._check_own(evaluations)
        cls._log(evaluations, 'acknowledged')

    @classmethod
    @ModelView.button_action('callcenter_qa.wizard_evaluation_dispute')
    def dispute(cls, evaluations):
        pass

    @classmethod
    @Workflow.transition('disputed')
    def _dispute(cls, evaluations, comment):
        "Dispute the evaluations with comment, once: submitted → disputed."
        cls._check_own(evaluations)
        if not (comment or '').strip():
            raise EvaluationStateError(gettext(
                    'callcenter_qa.msg_dispute_comment_required'))
        cls._log(evaluations, 'disputed', comment=comment)
        cls._notify_leads(evaluations)

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, evaluations):
        cls._log(evaluations, 'confirmed')
        cls._notify_agent(evaluations, 'callcenter_qa.msg_notify_confirmed')

    @classmethod
    @ModelView.button
    @Workflow.transition('rescored')
    def rescore(cls, evaluations):
        Line = Pool().get('callcenter.qa.evaluation.line')
        Line.check_graded([l for e in evaluations for l in e.lines])
        cls.update_scores(evaluations)
        cls._log(evaluations, 'rescored')
        cls._notify_agent(evaluations, 'callcenter_qa.msg_notify_rescored')
        cls._open_coaching(evaluations)

    @classmethod
    def _check_own(cls, evaluations):
        "Only the graded agent answers an evaluation (or the admin user)."
        user = Transaction().user
        for evaluation in evaluations:
            if user and evaluation.agent_user and (
                    evaluation.agent_user.id != user):
                raise EvaluationStateError(gettext(
                        'callcenter_qa.msg_evaluation_not_own',
                        evaluation=evaluation.rec_name))

    @classmethod
    def _log(cls, evaluations, action, comment=None):
        History = Pool().get('callcenter.qa.evaluation.history')
        with without_check_access():
            History.create([{
                        'evaluation': e.id, 'action': action,
                        'user': Transaction().user, 'score': e.score,
                        'comment': comment} for e in evaluations])

    @classmethod
    def _notify_agent(cls, evaluations, message):
        notify([Notice(e.agent_user, e, gettext(message,
                        evaluation=e.rec_name, score=e.score))
                for e in evaluations if e.agent_user])

    @classmethod
    def _notify_leads(cls, evaluations):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Group = pool.get('res.group')
        with without_check_access():
            group = Group(ModelData.get_id('callcenter_qa', 'group_qa_lead'))
            leads = list(group.users) or []
        notify([Notice(u, e, gettext('callcenter_qa.msg_notify_disputed',
                        evaluation=e.rec_name))
                for e in evaluations for u in leads])

    @classmethod
    def _open_coaching(cls, evaluations):
        Coaching = Pool().get('callcenter.qa.coaching')
        Coaching.open_for([e for e in evaluations
                if not e.passed and not e.calibration])


class EvaluationLine(ModelSQL, ModelView):
    "The score of one form line in an evaluation."
    __name__ = 'callcenter.qa.evaluation.line'
    __string__ = "QA Evaluation Line"
    evaluation = fields.Many2One(
        'callcenter.qa.evaluation', "Evaluation", required=True,
        ondelete='CASCADE')
    template_line = fields.Many2One(
        'callcenter.qa.template.line', "Template Line", readonly=True,
        ondelete='SET NULL')
    sequence = fields.Integer("Sequence", readonly=True)
    name = fields.Char("Name", readonly=True)
    guideline = fields.Text("Guideline", readonly=True)
    max_score = fields.Numeric("Maximum", digits=(16, 1), readonly=True)
    weight = fields.Numeric("Weight", digits=(16, 2), readonly=True)
    auto_fail = fields.Boolean("Auto-Fail", readonly=True)
    na_allowed = fields.Boolean("N/A Allowed", readonly=True)
    comment_threshold = fields.Numeric(
        "Comment Threshold", digits=(5, 2), readonly=True)
    na = fields.Boolean("N/A", states={
            'readonly': ~Eval('na_allowed', False)})
    score = fields.Numeric(
        "Score", digits=(16, 1),
        domain=['OR', ('score', '=', None), [
                ('score', '>=', 0),
                ('score', '<=', Eval('max_score', 0))]],
        states={'readonly': Bool(Eval('na'))})
    comment = fields.Text("Comment")
    failed = fields.Function(
        fields.Boolean("Failed"), 'get_failed')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC NULLS FIRST'), ('id', 'ASC')]

    @staticmethod
    def values_from_template(evaluation, line):
        return {
            'evaluation': evaluation.id, 'template_line': line.id,
            'sequence': line.sequence, 'name': line.name,
            'guideline': line.guideline, 'max_score': line.max_score,
            'weight': line.weight, 'auto_fail': line.auto_fail,
            'na_allowed': line.na_allowed,
            'comment_threshold': line.template.comment_threshold,
            }

    @fields.depends('na', 'score')
    def on_change_na(self):
        if self.na:
            self.score = None

    def get_failed(self, name):
        "Below the comment threshold, or an auto-fail line below maximum."
        if self.na or self.score is None:
            return False
        if self.auto_fail and self.score < self.max_score:
            return True
        return self._below_threshold()

    def _below_threshold(self):
        if self.comment_threshold is None or not self.max_score:
            return False
        return percent(self.score, self.max_score) < self.comment_threshold

    @classmethod
    def check_graded(cls, lines):
        "Every line scored or N/A, with a comment when below the threshold."
        for line in lines:
            if line.score is None and not line.na:
                raise EvaluationLineError(gettext(
                        'callcenter_qa.msg_line_not_graded',
                        line=line.name))
            if line.na and not line.na_allowed:
                raise EvaluationLineError(gettext(
                        'callcenter_qa.msg_line_na_not_allowed',
                        line=line.name))
            if (line.score is not None and line._below_threshold()
                    and not (line.comment or '').strip()):
                raise EvaluationLineError(gettext(
                        'callcenter_qa.msg_line_comment_required',
                        line=line.name, threshold=line.comment_threshold))

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        super().on_modification(mode, lines, field_names=field_names)
        if mode != 'delete':
            Evaluation = Pool().get('callcenter.qa.evaluation')
            Evaluation.update_scores(
                Evaluation.browse({l.evaluation.id for l in lines}))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external and mode in {'write', 'delete'}:
            for line in lines:
                if line.evaluation.state not in {'draft', 'disputed'}:
                    raise EvaluationStateError(gettext(
                            'callcenter_qa.msg_evaluation_not_editable',
                            evaluation=line.evaluation.rec_name))


class EvaluationHistory(ModelSQL, ModelView):
    "A step in the life of an evaluation."
    __name__ = 'callcenter.qa.evaluation.history'
    __string__ = "QA Evaluation History"
    evaluation = fields.Many2One(
        'callcenter.qa.evaluation', "Evaluation", required=True,
        ondelete='CASCADE')
    action = fields.Selection(ACTIONS, "Action", required=True)
    user = fields.Many2One('res.user', "User", ondelete='SET NULL')
    at = fields.Function(fields.Timestamp("At"), 'get_at')
    score = fields.Numeric("Score", digits=(5, 2))
    comment = fields.Text("Comment")

    def get_at(self, name):
        return self.create_date


class EvaluationDisputeStart(ModelView):
    "The reason the agent disputes the evaluation."
    __name__ = 'callcenter.qa.evaluation.dispute.start'
    __string__ = "Dispute Evaluation"
    comment = fields.Text("Comment", required=True,
        help="Why the score is wrong; the QA lead reads it.")


class EvaluationDispute(Wizard):
    "Dispute a submitted evaluation once, with a comment."
    __name__ = 'callcenter.qa.evaluation.dispute'
    start = StateView('callcenter.qa.evaluation.dispute.start',
        'callcenter_qa.evaluation_dispute_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Dispute", 'dispute', 'tryton-ok', default=True),
            ])
    dispute = StateTransition()

    def transition_dispute(self):
        Evaluation = Pool().get('callcenter.qa.evaluation')
        evaluations = [e for e in self.records if e.state == 'submitted']
        if len(evaluations) != len(self.records):
            raise EvaluationStateError(gettext(
                    'callcenter_qa.msg_dispute_once'))
        with without_check_access():
            Evaluation._dispute(
                Evaluation.browse(evaluations), self.start.comment)
        return 'end'
