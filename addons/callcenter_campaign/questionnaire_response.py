"""Responses to questionnaires: one per lead and call, answered by agents."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.rpc import RPC
from trytond.transaction import Transaction

from .exceptions import (
    QuestionnaireNotPublishedError, ResponseIncompleteError,
    ResponseSubmittedError)
from .questionnaire import QUESTION_TYPES, FrozenChild

RATINGS = [(None, '')] + [(str(i), str(i)) for i in range(1, 6)]


class Response(Workflow, ModelSQL, ModelView):
    "The answers one person gave to a questionnaire on a call."
    __name__ = 'callcenter.questionnaire.response'
    __string__ = "Questionnaire Response"
    _states = {'readonly': Eval('state') == 'submitted'}

    questionnaire = fields.Many2One(
        'callcenter.questionnaire', "Questionnaire", required=True,
        ondelete='RESTRICT', states=_states,
        domain=[('state', '=', 'published'),
            ('company', '=', Eval('company', -1))])
    company = fields.Many2One('company.company', "Company", required=True,
        states=_states)
    # RESTRICT: submitted answers are kept, so what they refer to stays.
    campaign = fields.Many2One('callcenter.campaign', "Campaign",
        ondelete='RESTRICT', states=_states)
    lead = fields.Many2One('callcenter.campaign.lead', "Lead",
        ondelete='RESTRICT', states=_states)
    call = fields.Many2One('callcenter.call', "Call", ondelete='RESTRICT',
        states=_states)
    user = fields.Many2One('res.user', "Agent", required=True,
        readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('submitted', "Submitted"),
            ], "State", readonly=True, required=True)
    submitted_at = fields.Timestamp("Submitted At", readonly=True)
    answers = fields.One2Many(
        'callcenter.questionnaire.answer', 'response', "Answers",
        states=_states)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('id', 'DESC'))
        cls._transitions |= {('draft', 'submitted')}
        cls._buttons.update({
                'submit': {'invisible': Eval('state') != 'draft',
                    'depends': ['state']},
                })
        cls.__rpc__.update({
                'fill': RPC(readonly=False),
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_user():
        return Transaction().user

    @staticmethod
    def default_state():
        return 'draft'

    def get_rec_name(self, name):
        party = self.lead.rec_name if self.lead else ''
        return ' - '.join(filter(None, [self.questionnaire.rec_name, party]))

    @classmethod
    def create(cls, vlist):
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            values['user'] = values.get('user') or Transaction().user
            values.setdefault('state', 'draft')
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        values_list = args[1:None:2]
        if not all(set(v) <= {'state', 'submitted_at'}
                for v in values_list):
            cls._check_draft(sum(args[0:None:2], []))
        super().write(*args)

    @classmethod
    def delete(cls, responses):
        cls._check_draft(responses)
        super().delete(responses)

    @classmethod
    def _check_draft(cls, responses):
        "Submitted responses are final (checked on the server)."
        for response in responses:
            if response.state == 'submitted':
                raise ResponseSubmittedError(gettext(
                        'callcenter_campaign.msg_response_submitted',
                        response=response.rec_name))

    @classmethod
    def fill(cls, questionnaire, lead=None, call=None, campaign=None):
        """The id of the agent's draft response to ``questionnaire`` (an
        id) for ``lead`` and ``call``, created with one blank answer per
        question in order: what the pop opens for the agent."""
        Questionnaire = Pool().get('callcenter.questionnaire')
        questionnaire = Questionnaire(questionnaire)
        if questionnaire.state != 'published':
            raise QuestionnaireNotPublishedError(gettext(
                    'callcenter_campaign.msg_questionnaire_not_published',
                    questionnaire=questionnaire.rec_name))
        domain = [('questionnaire', '=', questionnaire.id),
            ('lead', '=', lead), ('call', '=', call),
            ('user', '=', Transaction().user), ('state', '=', 'draft')]
        existing = cls.search(domain, limit=1)
        if existing:
            return existing[0].id
        response, = cls.create([{
                    'questionnaire': questionnaire.id,
                    'company': questionnaire.company.id,
                    'campaign': campaign, 'lead': lead, 'call': call,
                    'answers': [('create', [{'question': q.id}
                                for q in questionnaire.questions])],
                    }])
        return response.id

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, responses):
        for response in responses:
            response._check_required()
        cls.write(responses, {'submitted_at': dt.datetime.now()})

    def _check_required(self):
        "Every required question is answered."
        answered = {a.question for a in self.answers if a.is_answered}
        for question in self.questionnaire.questions:
            if question.required and question not in answered:
                raise ResponseIncompleteError(gettext(
                        'callcenter_campaign.msg_response_incomplete',
                        question=question.rec_name,
                        response=self.rec_name))


class Answer(FrozenChild, ModelSQL, ModelView):
    "The answer to one question of a response."
    __name__ = 'callcenter.questionnaire.answer'
    _parent_model = 'callcenter.questionnaire.response'
    __string__ = "Questionnaire Answer"
    _states = {'readonly': Eval('response_state') == 'submitted'}

    response = fields.Many2One(
        'callcenter.questionnaire.response', "Response", required=True,
        ondelete='CASCADE')
    response_state = fields.Function(fields.Selection([
                ('draft', "Draft"), ('submitted', "Submitted")],
            "Response State"), 'on_change_with_response_state')
    question = fields.Many2One(
        'callcenter.questionnaire.question', "Question", required=True,
        readonly=True, ondelete='RESTRICT')
    sequence = fields.Function(fields.Integer("Sequence"), 'get_question')
    type = fields.Function(
        fields.Selection(QUESTION_TYPES, "Type"), 'get_question')
    required = fields.Function(fields.Boolean("Required"), 'get_question')
    option = fields.Many2One(
        'callcenter.questionnaire.option', "Choice", ondelete='RESTRICT',
        domain=[('question', '=', Eval('question', -1))],
        states={**_states, 'invisible': Eval('type') != 'single'})
    options = fields.Many2Many(
        'callcenter.questionnaire.answer-option', 'answer', 'option',
        "Choices", domain=[('question', '=', Eval('question', -1))],
        states={**_states, 'invisible': Eval('type') != 'multiple'})
    text = fields.Text("Answer",
        states={**_states, 'invisible': Eval('type') != 'text'})
    rating = fields.Selection(RATINGS, "Rating", sort=False,
        states={**_states, 'invisible': Eval('type') != 'rating'},
        help="From 1 (worst) to 5 (best).")
    is_answered = fields.Function(
        fields.Boolean("Answered"), 'get_is_answered')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('response')
        cls._order = [('response', 'ASC'), ('id', 'ASC')]

    @fields.depends('response', '_parent_response.state')
    def on_change_with_response_state(self, name=None):
        return self.response.state if self.response else 'draft'

    def get_question(self, name):
        return getattr(self.question, name)

    def get_is_answered(self, name):
        return bool({
                'single': self.option,
                'multiple': self.options,
                'text': (self.text or '').strip(),
                'rating': self.rating,
                }[self.question.type])

    @classmethod
    def _parents(cls, answers):
        return list({a.response for a in answers})


class AnswerOption(FrozenChild, ModelSQL):
    "A choice picked in a multiple choice answer."
    __name__ = 'callcenter.questionnaire.answer-option'
    _parent_model = 'callcenter.questionnaire.answer'
    __string__ = "Answer Choice"
    answer = fields.Many2One('callcenter.questionnaire.answer', "Answer",
        required=True, ondelete='CASCADE')
    option = fields.Many2One('callcenter.questionnaire.option', "Option",
        required=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('answer')

    @classmethod
    def _parents(cls, records):
        return list({r.answer for r in records})
