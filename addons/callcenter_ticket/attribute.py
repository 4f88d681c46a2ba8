from trytond.model import DictSchemaMixin, ModelSQL, ModelView, fields
from trytond.pyson import Eval
from trytond.transaction import Transaction

USAGES = [
    ('customer', "Customer"),
    ('ticket', "Ticket"),
    ]


class Attribute(DictSchemaMixin, ModelSQL, ModelView):
    "A custom field an admin adds to customers or to tickets of a type."
    __name__ = 'callcenter.attribute'
    __string__ = "Custom Field"
    company = fields.Many2One(
        'company.company', "Company", required=True,
        help="Only users of this company see the attribute.")
    usage = fields.Selection(USAGES, "Usage", required=True,
        help="Whether the attribute applies to customers or to tickets.")
    required = fields.Boolean(
        "Required", help="The value must be filled in before saving.")
    ticket_types = fields.Many2Many(
        'callcenter.ticket.type-callcenter.attribute', 'attribute', 'type',
        "Ticket Types",
        states={'invisible': Eval('usage') != 'ticket'})

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_usage():
        return 'customer'

    @staticmethod
    def default_required():
        return False

    @classmethod
    def missing(cls, values, attributes):
        "The strings of the required attributes without a value."
        values = values or {}
        return [a.string for a in attributes
            if a.required and values.get(a.name) in (None, '')]


class TicketTypeAttribute(ModelSQL):
    "Extra field of a ticket type."
    __name__ = 'callcenter.ticket.type-callcenter.attribute'
    __string__ = "Ticket Type Field"
    type = fields.Many2One(
        'callcenter.ticket.type', "Type", required=True, ondelete='CASCADE')
    attribute = fields.Many2One(
        'callcenter.attribute', "Attribute", required=True,
        ondelete='CASCADE')
