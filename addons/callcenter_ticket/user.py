from trytond.model import fields
from trytond.pool import PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    callcenter_ticket_type = fields.Many2One(
        'callcenter.ticket.type', "Preferred Ticket Type",
        ondelete='SET NULL',
        help="The type of the new ticket that opens when a call pops.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._preferences_fields.append('callcenter_ticket_type')
