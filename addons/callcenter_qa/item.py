from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered, tree)
from trytond.modules.callcenter_base.model_data import prepare_module_data
from trytond.pyson import Eval


class Item(
        DeactivableMixin, tree(separator=' / '), sequence_ordered(),
        ModelSQL, ModelView):
    "A graded point of a call, with sub-items and a maximum score."
    __name__ = 'callcenter.qa.item'
    __string__ = "Assessment Item"
    name = fields.Char("Name", required=True, translate=True)
    parent = fields.Many2One(
        'callcenter.qa.item', "Parent", ondelete='CASCADE')
    children = fields.One2Many('callcenter.qa.item', 'parent', "Sub-items")
    max_score = fields.Numeric(
        "Maximum Score", digits=(16, 1), required=True,
        domain=[('max_score', '>=', 0)],
        help="The score of a flawless call on this item.")
    guideline = fields.Text(
        "Guideline", help="What the grader listens for.")
    total_score = fields.Function(
        fields.Numeric("Total", digits=(16, 1),
            states={'invisible': ~Eval('children')}),
        'get_total_score')

    @classmethod
    def __register__(cls, module):
        prepare_module_data(module)
        super().__register__(module)

    @staticmethod
    def default_max_score():
        return 0

    def get_total_score(self, name):
        "The item's own maximum or, with sub-items, the sum of theirs."
        if not self.children:
            return self.max_score
        return sum(child.get_total_score(name) for child in self.children)
