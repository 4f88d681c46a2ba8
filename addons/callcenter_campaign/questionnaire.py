"""Questionnaires (问卷调查): designed by leaders, answered by agents."""
from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Workflow, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import QuestionnairePublishedError, QuestionnaireEmptyError

QUESTION_TYPES = [
    ('single', "Single Choice"),
    ('multiple', "Multiple Choice"),
    ('text', "Text"),
    ('rating', "Rating (1-5)"),
    ]
CHOICE_TYPES = {'single', 'multiple'}


class Questionnaire(Workflow, ModelSQL, ModelView):
    "A questionnaire agents fill in with the person they call."
    __name__ = 'callcenter.questionnaire'
    __string__ = "Questionnaire"
    _states = {'readonly': Eval('state') == 'published'}

    name = fields.Char("Name", required=True, translate=True,
        states=_states)
    company = fields.Many2One('company.company', "Company", required=True,
        states=_states)
    description = fields.Text("Description", states=_states,
        help="What the agent tells the person before the questions.")
    state = fields.Selection([
            ('draft', "Unpublished"),
            ('published', "Published"),
            ], "State", readonly=True, required=True,
        help="Only published questionnaires are used by campaigns; a "
        "published one cannot be changed, unpublish it first.")
    questions = fields.One2Many(
        'callcenter.questionnaire.question', 'questionnaire', "Questions",
        states=_states)
    responses = fields.One2Many(
        'callcenter.questionnaire.response', 'questionnaire', "Responses",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'published'), ('published', 'draft')}
        cls._buttons.update({
                'publish': {'invisible': Eval('state') == 'published',
                    'depends': ['state']},
                'unpublish': {'invisible': Eval('state') != 'published',
                    'depends': ['state']},
                'statistics': {'depends': ['state']},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def write(cls, *args):
        cls._check_draft(sum(args[0:None:2], []), args[1:None:2])
        super().write(*args)

    @classmethod
    def delete(cls, questionnaires):
        cls._check_draft(questionnaires)
        super().delete(questionnaires)

    @classmethod
    def _check_draft(cls, questionnaires, values_list=None):
        "Published questionnaires only change state (server-side)."
        if values_list is not None and all(
                set(v) <= {'state'} for v in values_list):
            return
        for questionnaire in questionnaires:
            if questionnaire.state == 'published':
                raise QuestionnairePublishedError(gettext(
                        'callcenter_campaign.msg_questionnaire_published',
                        questionnaire=questionnaire.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, questionnaires):
        for questionnaire in questionnaires:
            if not questionnaire.questions:
                raise QuestionnaireEmptyError(gettext(
                        'callcenter_campaign.msg_questionnaire_empty',
                        questionnaire=questionnaire.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def unpublish(cls, questionnaires):
        pass

    @classmethod
    @ModelView.button_action(
        'callcenter_campaign.act_questionnaire_statistic')
    def statistics(cls, questionnaires):
        pass


class FrozenChild:
    """A part of a record frozen once done (a published questionnaire, a
    submitted response): checked when created, before and after a write
    (it may move to another parent) and when deleted."""
    __slots__ = ()
    _parent_model = None

    @classmethod
    def _parents(cls, records):
        "The records of ``_parent_model`` that ``records`` belong to."
        raise NotImplementedError

    @classmethod
    def create(cls, vlist):
        records = super().create(vlist)
        cls._check_draft(records)
        return records

    @classmethod
    def write(cls, *args):
        cls._check_draft(sum(args[0:None:2], []))
        super().write(*args)
        cls._check_draft(sum(args[0:None:2], []))

    @classmethod
    def delete(cls, records):
        cls._check_draft(records)
        super().delete(records)

    @classmethod
    def _check_draft(cls, records):
        Parent = Pool().get(cls._parent_model)
        Parent._check_draft(cls._parents(records))


class Question(FrozenChild, sequence_ordered(), ModelSQL, ModelView):
    "A question of a questionnaire."
    __name__ = 'callcenter.questionnaire.question'
    _parent_model = 'callcenter.questionnaire'
    __string__ = "Question"
    questionnaire = fields.Many2One(
        'callcenter.questionnaire', "Questionnaire", required=True,
        ondelete='CASCADE')
    text = fields.Char("Question", required=True, translate=True)
    type = fields.Selection(QUESTION_TYPES, "Type", required=True)
    required = fields.Boolean(
        "Required", help="The response cannot be submitted without it.")
    options = fields.One2Many(
        'callcenter.questionnaire.option', 'question', "Options",
        states={'invisible': ~Eval('type').in_(list(CHOICE_TYPES))},
        help="The choices of a single or multiple choice question.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('questionnaire')

    @staticmethod
    def default_type():
        return 'single'

    def get_rec_name(self, name):
        return self.text

    @classmethod
    def _parents(cls, questions):
        return list({q.questionnaire for q in questions})


class Option(FrozenChild, sequence_ordered(), ModelSQL, ModelView):
    "A choice of a single or multiple choice question."
    __name__ = 'callcenter.questionnaire.option'
    _parent_model = 'callcenter.questionnaire'
    __string__ = "Question Option"
    question = fields.Many2One(
        'callcenter.questionnaire.question', "Question", required=True,
        ondelete='CASCADE')
    name = fields.Char("Option", required=True, translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('question')

    @classmethod
    def _parents(cls, options):
        return list({o.question.questionnaire for o in options})
