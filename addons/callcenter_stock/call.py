"""Orders on calls, when the CTI module is active: the call on the order,
"New order" on the call panel and the orders on the pop's customer card."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from .sale import OrderSource


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'
    call = fields.Many2One(
        'callcenter.call', "Call", ondelete='SET NULL',
        states={'readonly': Eval('state') != 'draft'},
        help="The call the order was taken on.")

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default else {}
        default.setdefault('call', None)
        return super().copy(sales, default=default)


class Call(OrderSource, metaclass=PoolMeta):
    __name__ = 'callcenter.call'
    sales = fields.One2Many(
        'sale.sale', 'call', "Orders", readonly=True,
        help="The orders taken on the call.")


class NewOrder(metaclass=PoolMeta):
    __name__ = 'callcenter.stock.new_order'

    @classmethod
    def sale_values(cls, record):
        values = super().sale_values(record)
        if record.__name__ == 'callcenter.call':
            values = {'party': record.party, 'call': record}
        elif record.__name__ == 'callcenter.ticket' and record.call:
            values['call'] = record.call
        return values
