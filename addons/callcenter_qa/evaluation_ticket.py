"The tickets of the graded call, when the ticket module is active."
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.transaction import without_check_access


class Evaluation(metaclass=PoolMeta):
    __name__ = 'callcenter.qa.evaluation'
    call_tickets = fields.Function(fields.Many2Many(
            'callcenter.ticket', None, None, "Call Tickets",
            help="The tickets opened on the graded call."),
        'get_call_tickets')

    def get_call_tickets(self, name):
        with without_check_access():
            return [t.id for t in self.call.tickets]
