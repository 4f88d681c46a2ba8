"""The knowledge-base article a failed evaluation points the coaching to,
when the knowledge base module is active."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Evaluation(metaclass=PoolMeta):
    __name__ = 'callcenter.qa.evaluation'
    article = fields.Many2One(
        'callcenter.kb.article', "Coaching Article", ondelete='SET NULL',
        states={'readonly': ~Eval('state').in_(['draft', 'disputed'])},
        help="The article the agent should read when the call fails.")


class Coaching(metaclass=PoolMeta):
    __name__ = 'callcenter.qa.coaching'
    article = fields.Many2One(
        'callcenter.kb.article', "Article", readonly=True,
        ondelete='SET NULL')

    @classmethod
    def _get_values(cls, evaluation):
        values = super()._get_values(evaluation)
        if evaluation.article:
            values['article'] = evaluation.article.id
        return values
