"""The questionnaire a campaign's agents fill in on connect."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval


class Campaign(metaclass=PoolMeta):
    __name__ = 'callcenter.campaign'
    questionnaire = fields.Many2One(
        'callcenter.questionnaire', "Questionnaire", ondelete='RESTRICT',
        domain=[('state', '=', 'published'),
            ('company', '=', Eval('company', -1))],
        help="The published questionnaire that pops when a call of the "
        "campaign connects.")
