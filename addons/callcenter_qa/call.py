"Grading starts from a call: the Grade Call wizard on the call form."
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard


class Call(metaclass=PoolMeta):
    __name__ = 'callcenter.call'
    evaluations = fields.One2Many(
        'callcenter.qa.evaluation', 'call', "QA Evaluations", readonly=True)


class GradeCallStart(ModelView):
    "The form to grade the call on."
    __name__ = 'callcenter.qa.evaluation.grade.start'
    __string__ = "Grade Call"
    template = fields.Many2One(
        'callcenter.qa.template', "Template", required=True,
        domain=[('state', '=', 'active')])

    @staticmethod
    def default_template():
        Template = Pool().get('callcenter.qa.template')
        templates = Template.search([('state', '=', 'active')], limit=2)
        return templates[0].id if len(templates) == 1 else None


class GradeCall(Wizard):
    "Open a draft evaluation of the call, or the grader's existing one."
    __name__ = 'callcenter.qa.evaluation.grade'
    start = StateView('callcenter.qa.evaluation.grade.start',
        'callcenter_qa.evaluation_grade_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Grade", 'grade', 'tryton-ok', default=True),
            ])
    grade = StateAction('callcenter_qa.act_evaluation_my')

    def do_grade(self, action):
        Evaluation = Pool().get('callcenter.qa.evaluation')
        evaluations = []
        for call in self.records:
            evaluations.extend(Evaluation.search([
                        ('call', '=', call.id),
                        ('grader', '=', Transaction().user),
                        ('template', '=', self.start.template.id),
                        ('calibration', '=', None)], limit=1)
                or Evaluation.create([Evaluation.values_for_call(
                                call, self.start.template)]))
        action['views'].reverse()
        return action, {'res_id': [e.id for e in evaluations]}
