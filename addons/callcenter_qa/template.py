"""QA forms (QA-01): the items a call is graded on, with their weights.

A template is drafted, then activated before use; an active template is
read-only and a change is a new version, a copy that replaces it.
Scoring follows the QA products (Genesys, Amazon Connect, Zendesk QA):
score = sum(points x weight) / sum(possible x weight) in percent, N/A
lines count 0 of 0, and an auto-fail line answered below its maximum
makes the whole evaluation 0.
"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Workflow, fields, sequence_ordered)
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import TemplateActiveError

STATES = [
    ('draft', "Draft"),
    ('active', "Active"),
    ('archived', "Archived"),
    ]
_EDITABLE = {'readonly': Eval('state') != 'draft'}


def percent(points, possible):
    "Points out of possible as a percentage rounded to 0.01, or None."
    if not possible:
        return None
    return (Decimal(points) * 100 / Decimal(possible)).quantize(
        Decimal('0.01'))


class Template(Workflow, ModelSQL, ModelView):
    "A QA form: the weighted items a call is graded on."
    __name__ = 'callcenter.qa.template'
    __string__ = "QA Template"
    name = fields.Char("Name", required=True, states=_EDITABLE)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_EDITABLE)
    version = fields.Integer("Version", readonly=True,
        help="Raised by each new version of the form.")
    previous = fields.Many2One(
        'callcenter.qa.template', "Previous Version", readonly=True,
        ondelete='SET NULL')
    lines = fields.One2Many(
        'callcenter.qa.template.line', 'template', "Lines",
        states=_EDITABLE)
    passing_score = fields.Numeric(
        "Passing Score", digits=(5, 2), required=True, states=_EDITABLE,
        domain=[('passing_score', '>=', 0), ('passing_score', '<=', 100)],
        help="The score in percent an evaluation needs to pass.")
    comment_threshold = fields.Numeric(
        "Comment Threshold", digits=(5, 2), states=_EDITABLE,
        domain=['OR', ('comment_threshold', '=', None), [
                ('comment_threshold', '>=', 0),
                ('comment_threshold', '<=', 100)]],
        help="A line scored below this percentage of its maximum "
        "needs a comment.")
    description = fields.Text("Description", states=_EDITABLE)
    max_total = fields.Function(
        fields.Numeric("Maximum Points", digits=(16, 1)), 'get_max_total')
    state = fields.Selection(STATES, "State", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('name', 'ASC'), ('version', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'active'),
            ('active', 'archived'),
            }
        cls._buttons.update({
                'activate': {'invisible': Eval('state') != 'draft',
                    'depends': ['state']},
                'archive': {'invisible': Eval('state') != 'active',
                    'depends': ['state']},
                'new_version': {'invisible': Eval('state') == 'draft',
                    'depends': ['state']},
                })

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_version():
        return 1

    @staticmethod
    def default_passing_score():
        return Decimal(80)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return f'{self.name} (v{self.version})'

    def get_max_total(self, name):
        "The weighted points of a flawless call."
        return sum((line.max_score * line.weight for line in self.lines),
            Decimal(0))

    @classmethod
    def check_modification(cls, mode, templates, values=None, external=False):
        super().check_modification(
            mode, templates, values=values, external=external)
        if mode == 'write' and set(values) <= {'state'}:
            return
        if mode in {'write', 'delete'}:
            cls._check_draft(templates)

    @classmethod
    def _check_draft(cls, templates):
        for template in templates:
            if template.state != 'draft':
                raise TemplateActiveError(gettext(
                        'callcenter_qa.msg_template_not_draft',
                        template=template.rec_name))

    @classmethod
    def copy(cls, templates, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        default.setdefault('previous', None)
        default.setdefault('version', 1)
        return super().copy(templates, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, templates):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('archived')
    def archive(cls, templates):
        pass

    @classmethod
    @ModelView.button
    def new_version(cls, templates):
        "Copy each template into a draft that will replace it."
        return [cls.copy([t], default={
                        'version': t.version + 1, 'previous': t.id})[0].id
            for t in templates]


class TemplateLine(sequence_ordered(), ModelSQL, ModelView):
    "A graded point of a QA form."
    __name__ = 'callcenter.qa.template.line'
    __string__ = "QA Template Line"
    template = fields.Many2One(
        'callcenter.qa.template', "Template", required=True,
        ondelete='CASCADE')
    item = fields.Many2One(
        'callcenter.qa.item', "Item", ondelete='RESTRICT',
        help="The assessment item the line grades.")
    name = fields.Char("Name", required=True)
    guideline = fields.Text("Guideline")
    max_score = fields.Numeric(
        "Maximum Score", digits=(16, 1), required=True,
        domain=[('max_score', '>', 0)])
    weight = fields.Numeric(
        "Weight", digits=(16, 2), required=True,
        domain=[('weight', '>', 0)],
        help="How much the line counts compared to the others.")
    auto_fail = fields.Boolean(
        "Auto-Fail",
        help="Scored below its maximum, the line makes the evaluation 0.")
    na_allowed = fields.Boolean(
        "N/A Allowed",
        help="The grader may mark the line not applicable; "
        "it then counts 0 of 0.")
    template_state = fields.Function(
        fields.Selection(STATES, "Template State"),
        'on_change_with_template_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        readonly = If(Eval('template_state', 'draft') != 'draft', True, False)
        for name in ['item', 'name', 'guideline', 'max_score', 'weight',
                'auto_fail', 'na_allowed']:
            field = getattr(cls, name)
            field.states = {'readonly': readonly}
            field.depends = field.depends | {'template_state'}

    @staticmethod
    def default_weight():
        return Decimal(1)

    @staticmethod
    def default_max_score():
        return Decimal(10)

    @fields.depends('template', '_parent_template.state')
    def on_change_with_template_state(self, name=None):
        return self.template.state if self.template else 'draft'

    @fields.depends('item', 'name', 'max_score', 'guideline')
    def on_change_item(self):
        if self.item:
            self.name = self.item.name
            self.max_score = self.item.total_score
            self.guideline = self.item.guideline

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        cls.template.get_target()._check_draft(
            {line.template for line in lines})
