from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.callcenter_base.model_data import purge_stale_model_data
from trytond.transaction import Transaction


class TicketType(
        DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "A kind of ticket (consult, complaint, after-sale…) with its own rules."
    __name__ = 'callcenter.ticket.type'
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", help="Short code shown in ticket numbers.")
    company = fields.Many2One(
        'company.company', "Company", required=True,
        help="Each client company has its own ticket types.")
    description = fields.Text("Description")

    @classmethod
    def __register__(cls, module):
        purge_stale_model_data(module)
        super().__register__(module)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')
