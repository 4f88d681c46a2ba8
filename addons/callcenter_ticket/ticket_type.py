from trytond.model import (
    DeactivableMixin, Unique, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.callcenter_base.model_data import prepare_module_data
from trytond.pyson import Eval
from trytond.transaction import Transaction

PRIORITIES = [
    ('low', "Low"),
    ('normal', "Normal"),
    ('high', "High"),
    ('urgent', "Urgent"),
    ]


class TicketType(
        DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "A kind of ticket (consult, complaint, after-sale…) with its own rules."
    __name__ = 'callcenter.ticket.type'
    __string__ = "Ticket Type"
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", help="Short code shown in ticket numbers.")
    company = fields.Many2One(
        'company.company', "Company", required=True,
        help="Each client company has its own ticket types.")
    description = fields.Text("Description")
    attributes = fields.Many2Many(
        'callcenter.ticket.type-callcenter.attribute', 'type', 'attribute',
        "Extra Fields", domain=[
            ('usage', '=', 'ticket'),
            ('company', '=', Eval('company', -1)),
            ],
        help="Fields added to the tickets of this type.")
    slas = fields.One2Many(
        'callcenter.ticket.type.sla', 'type', "SLA",
        help="Response and resolution times by priority.")

    @classmethod
    def __register__(cls, module):
        prepare_module_data(module)
        super().__register__(module)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_sla(self, priority):
        "The SLA line for that priority, or None."
        for sla in self.slas:
            if sla.priority == priority:
                return sla


class TicketTypeSLA(ModelSQL, ModelView):
    "The response and resolution times of a ticket type for one priority."
    __name__ = 'callcenter.ticket.type.sla'
    __string__ = "Ticket SLA"
    type = fields.Many2One(
        'callcenter.ticket.type', "Type", required=True, ondelete='CASCADE')
    priority = fields.Selection(PRIORITIES, "Priority", required=True)
    response_hours = fields.Float(
        "Response Hours", required=True,
        domain=[('response_hours', '>=', 0)],
        help="Business hours within which an agent must accept the ticket.")
    resolution_hours = fields.Float(
        "Resolution Hours", required=True,
        domain=[('resolution_hours', '>=', 0)],
        help="Business hours within which the ticket must be resolved; "
        "time spent waiting on the customer does not count.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Model.__setup__ resets __access__: a class attribute is lost.
        cls.__access__.add('type')
        t = cls.__table__()
        cls._sql_constraints = [
            ('type_priority_unique', Unique(t, t.type, t.priority),
                'callcenter_ticket.msg_sla_priority_unique'),
            ]
