from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered, tree)
from trytond.modules.callcenter_base.model_data import prepare_module_data


class Category(
        DeactivableMixin, tree(separator=' / '), sequence_ordered(),
        ModelSQL, ModelView):
    "A branch of the knowledge base tree."
    __name__ = 'callcenter.kb.category'
    __string__ = "Knowledge Base Category"
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code")
    parent = fields.Many2One(
        'callcenter.kb.category', "Parent", ondelete='RESTRICT')
    children = fields.One2Many(
        'callcenter.kb.category', 'parent', "Children")
    review = fields.Boolean(
        "Review", help="Articles of the category are published by a "
        "reviewer; when unchecked, submitting an article publishes it.")
    articles = fields.Many2Many(
        'callcenter.kb.article-callcenter.kb.category', 'category',
        'article', "Articles")

    @classmethod
    def default_review(cls):
        return True

    @classmethod
    def __register__(cls, module):
        prepare_module_data(module)
        super().__register__(module)
