"""Calibration sessions (QA-05): several QA staff grade one call blind.

While the session is open each grader sees only their own evaluation
(record rule on ``callcenter.qa.evaluation``); once closed everyone sees
all of them, with each grader's spread from the session's median.
"""
import statistics
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import CalibrationError

STATES = [
    ('open', "Open"),
    ('closed', "Closed"),
    ]
_OPEN = {'readonly': Eval('state') != 'open'}


class Calibration(Workflow, ModelSQL, ModelView):
    "A call several QA staff grade blind to compare their scoring."
    __name__ = 'callcenter.qa.calibration'
    __string__ = "QA Calibration"
    name = fields.Char("Name", required=True, states=_OPEN)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_OPEN)
    call = fields.Many2One(
        'callcenter.call', "Call", required=True, states=_OPEN)
    template = fields.Many2One(
        'callcenter.qa.template', "Template", required=True, states=_OPEN,
        domain=[('state', '=', 'active')])
    graders = fields.Many2Many(
        'callcenter.qa.calibration-res.user', 'calibration', 'user',
        "Graders", states=_OPEN)
    evaluations = fields.One2Many(
        'callcenter.qa.evaluation', 'calibration', "Evaluations",
        readonly=True)
    median = fields.Function(
        fields.Numeric("Median Score", digits=(5, 2),
            states={'invisible': Eval('state') != 'closed'}),
        'get_median')
    state = fields.Selection(STATES, "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls._transitions |= {('open', 'closed')}
        cls._buttons.update({
                'start': {'invisible': Eval('state') != 'open',
                    'depends': ['state']},
                'close': {'invisible': Eval('state') != 'open',
                    'depends': ['state']},
                })

    @staticmethod
    def default_state():
        return 'open'

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_median(self, name):
        "The median of the submitted scores of the session."
        with without_check_access():
            scores = [e.score for e in self.evaluations
                if e.state != 'draft' and e.score is not None]
        if not scores:
            return None
        return Decimal(statistics.median(scores)).quantize(Decimal('0.01'))

    @classmethod
    @ModelView.button
    def start(cls, calibrations):
        "Create each grader's draft evaluation of the call."
        Evaluation = Pool().get('callcenter.qa.evaluation')
        with without_check_access():
            done = {(e.calibration.id, e.grader.id) for e in Evaluation.search(
                    [('calibration', 'in', [c.id for c in calibrations])])}
            Evaluation.create([{
                        'company': c.company.id, 'call': c.call.id,
                        'agent': c.call.agent.id, 'template': c.template.id,
                        'grader': g.id, 'calibration': c.id,
                        'team': Evaluation._get_team(c.call.agent)}
                    for c in calibrations for g in c.graders
                    if (c.id, g.id) not in done])

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, calibrations):
        for calibration in calibrations:
            if not any(e.state != 'draft' for e in calibration.evaluations):
                raise CalibrationError(gettext(
                        'callcenter_qa.msg_calibration_no_evaluation',
                        calibration=calibration.rec_name))


class CalibrationUser(ModelSQL):
    "A grader of a calibration session."
    __name__ = 'callcenter.qa.calibration-res.user'
    __string__ = "QA Calibration Grader"
    calibration = fields.Many2One(
        'callcenter.qa.calibration', "Calibration", required=True,
        ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')
