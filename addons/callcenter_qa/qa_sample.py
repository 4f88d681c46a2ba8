"""Sampled calls of a QA list and their assignment to QA staff (QA-03)."""
import datetime as dt

from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)
from trytond.modules.callcenter_base.notify import Notice, notify
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

SAMPLE_STATES = [
    ('unassigned', "Unassigned"),
    ('assigned', "Assigned"),
    ('graded', "Graded"),
    ]


class QaSample(ModelSQL, ModelView):
    "A call sampled by a QA list, to be graded by a QA staff member."
    __name__ = 'callcenter.qa.sample'
    __string__ = "QA Sample"
    list = fields.Many2One(
        'callcenter.qa.list', "QA List", required=True, readonly=True,
        ondelete='CASCADE')
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    call = fields.Many2One(
        'callcenter.call', "Call", required=True, readonly=True,
        ondelete='CASCADE')
    agent = fields.Many2One(
        'callcenter.agent', "Agent", readonly=True, ondelete='SET NULL')
    rank = fields.Integer("Rank", readonly=True,
        help="The call's place in the agent's random draw.")
    weight = fields.Float("Weight", readonly=True,
        help="How much more likely than a call without reasons.")
    reasons = fields.Char("Reason Codes", readonly=True)
    reasons_string = fields.Function(
        fields.Char("Why Sampled"), 'get_reasons_string')
    evaluation = fields.Many2One(
        'callcenter.qa.evaluation', "Evaluation", readonly=True,
        ondelete='SET NULL')
    assignee = fields.Many2One(
        'res.user', "QA Staff", readonly=True,
        help="The QA staff member who grades the call.")
    assigned_at = fields.Timestamp("Assigned", readonly=True)
    state = fields.Selection(
        SAMPLE_STATES, "State", readonly=True, required=True)
    call_start = fields.Function(
        fields.DateTime("Call Start"), 'get_call_field')
    talk_duration = fields.Function(
        fields.TimeDelta("Talk"), 'get_call_field')
    survey = fields.Function(
        fields.Selection('get_survey_answers', "Survey"), 'get_call_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('list', 'DESC'), ('agent', 'ASC'), ('rank', 'ASC'),
            ('id', 'ASC')]

        cls._buttons.update({
                'grade': {
                    'invisible': Eval('state') == 'unassigned',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_state():
        return 'unassigned'

    @classmethod
    @ModelView.button_action('callcenter_qa.wizard_sample_grade')
    def grade(cls, samples):
        pass

    @classmethod
    def open_evaluations(cls, samples):
        """The evaluations of the samples, created (draft, on the list's
        template, graded by the current user) where missing."""
        Evaluation = Pool().get('callcenter.qa.evaluation')
        missing = [s for s in samples if not s.evaluation]
        if missing:
            created = Evaluation.create([Evaluation.values_for_call(
                        s.call, s.list.template) for s in missing])
            to_write = []
            for sample, evaluation in zip(missing, created):
                to_write.extend([[sample], {'evaluation': evaluation.id}])
            cls.write(*to_write)
        return [s.evaluation for s in samples]

    @classmethod
    def mark_graded(cls, evaluations):
        "The samples of submitted evaluations are graded."
        samples = cls.search([
                ('evaluation', 'in', [e.id for e in evaluations]),
                ('state', '!=', 'graded')])
        if samples:
            cls.write(samples, {'state': 'graded'})

    def get_rec_name(self, name):
        return self.call.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('call.rec_name',) + tuple(clause[1:])]

    def get_reasons_string(self, name):
        QaList = Pool().get('callcenter.qa.list')
        labels = QaList.get_risk_reason_labels()
        return ', '.join(labels.get(code, code)
            for code in (self.reasons or '').split(',') if code) or None

    @classmethod
    def get_survey_answers(cls):
        Call = Pool().get('callcenter.call')
        return Call.fields_get(['survey'])['survey']['selection']

    def get_call_field(self, name):
        return getattr(self.call, {'call_start': 'start_at'}.get(name, name))

    @classmethod
    def count_by_list(cls, list_ids):
        "{list id: {total, assigned, unassigned, graded, ungraded}}."
        sample = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {}

        def counted(state):
            return Count(sample.id, filter_=sample.state == state)
        for sub in grouped_slice(list_ids, 1000):
            cursor.execute(*sample.select(sample.list, Count(sample.id),
                    counted('assigned'), counted('unassigned'),
                    counted('graded'),
                    where=sample.list.in_(list(sub)),
                    group_by=[sample.list]))
            for list_id, total, assigned, unassigned, graded in cursor:
                result[list_id] = {'total': total,
                    'assigned': assigned + graded, 'unassigned': unassigned,
                    'graded': graded, 'ungraded': total - graded}
        return result

    @classmethod
    def assign(cls, samples, users, each=None):
        """Give the unassigned ``samples`` to ``users`` in turn (evenly),
        or ``each`` to every user; tell them."""
        samples = [s for s in samples if s.state == 'unassigned']
        if not users:
            return {}
        limit = len(samples) if each is None else each * len(users)
        given = {}
        for index, sample in enumerate(samples[:limit]):
            given.setdefault(users[index % len(users)], []).append(sample)
        now = dt.datetime.now()
        to_write = []
        for user, mine in given.items():
            to_write.extend([mine, {'assignee': user.id,
                        'state': 'assigned', 'assigned_at': now}])
        if to_write:
            cls.write(*to_write)
        cls._notify_assigned(given)
        return given

    @classmethod
    def _notify_assigned(cls, given):
        notices = []
        for user, samples in given.items():
            qa_list = samples[0].list
            notices.append(Notice(user, qa_list, gettext(
                        'callcenter_qa.msg_samples_assigned',
                        count=len(samples), list=qa_list.rec_name)))
        notify(notices, bus_type='callcenter.qa_assigned')

    @classmethod
    def recycle(cls, samples):
        "Take back assigned samples not graded yet."
        samples = [s for s in samples if s.state == 'assigned']
        if samples:
            cls.write(samples, {'assignee': None, 'assigned_at': None,
                    'state': 'unassigned'})
        return samples


class AssignStart(ModelView):
    "Whom to give a QA list's unassigned samples to."
    __name__ = 'callcenter.qa.list.assign.start'
    __string__ = "Assign Samples"
    qa_list = fields.Many2One('callcenter.qa.list', "QA List", readonly=True)
    unassigned = fields.Integer("Unassigned", readonly=True)
    users = fields.Many2Many('res.user', None, None, "QA Staff",
        required=True, domain=[('groups', '=', Eval('qa_group', -1))])
    qa_group = fields.Many2One('res.group', "QA Group", readonly=True)
    mode = fields.Selection([
            ('even', "Evenly"),
            ('each', "By Count Each"),
            ], "Mode", required=True)
    each = fields.Integer("Count Each",
        states={
            'invisible': Eval('mode') != 'each',
            'required': Eval('mode') == 'each',
            },
        # only when used: sao checks the domain of the empty, hidden field
        domain=[If(Eval('mode') == 'each', ('each', '>', 0), ())])


class Assign(Wizard):
    "Assign a QA list's unassigned samples to QA staff."
    __name__ = 'callcenter.qa.list.assign'
    start = StateView('callcenter.qa.list.assign.start',
        'callcenter_qa.list_assign_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Assign", 'assign', 'tryton-ok', default=True),
            ])
    assign = StateTransition()

    def default_start(self, fields):
        ModelData = Pool().get('ir.model.data')
        pool = Pool()
        User = pool.get('res.user')
        qa_group = ModelData.get_id('callcenter_base', 'group_qa')
        me = User(Transaction().user)
        return {
            'qa_list': self.record.id,
            'unassigned': self.record.unassigned_count,
            'qa_group': qa_group,
            'mode': 'even',
            # the QA staff member at the screen, whom to add others to
            'users': [me.id] if qa_group in {g.id for g in me.groups}
            else [],
            }

    def transition_assign(self):
        Sample = Pool().get('callcenter.qa.sample')
        samples = Sample.search([
                ('list', '=', self.record.id),
                ('state', '=', 'unassigned'),
                ], order=[('agent', 'ASC'), ('rank', 'ASC'), ('id', 'ASC')])
        users = sorted(self.start.users, key=lambda u: u.id)
        Sample.assign(samples, users,
            each=self.start.each if self.start.mode == 'each' else None)
        return 'end'


class SampleGrade(Wizard):
    "Open the evaluation of a sampled call, created on the list's template."
    __name__ = 'callcenter.qa.sample.grade'
    start = StateAction('callcenter_qa.act_evaluation_my')

    def do_start(self, action):
        Sample = Pool().get('callcenter.qa.sample')
        evaluations = Sample.open_evaluations(self.records)
        action['views'].reverse()
        return action, {'res_id': [e.id for e in evaluations]}


class Evaluation(metaclass=PoolMeta):
    __name__ = 'callcenter.qa.evaluation'

    @classmethod
    def submit(cls, evaluations):
        super().submit(evaluations)
        Pool().get('callcenter.qa.sample').mark_graded(evaluations)
