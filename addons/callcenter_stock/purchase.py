"""The replenishment tasks warehouse staff work from: purchase requests
raised by orders, with the orders waiting for them."""
import datetime as dt
from collections import defaultdict

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Request(metaclass=PoolMeta):
    __name__ = 'purchase.request'
    waiting_orders = fields.Function(fields.Many2Many(
            'sale.sale', None, None, "Waiting Orders",
            help="The orders waiting for the goods."),
        'get_waiting')
    waiting_count = fields.Function(fields.Integer(
            "Orders Waiting"), 'get_waiting')
    customers = fields.Function(fields.Char("Customers"), 'get_waiting')
    tickets = fields.Function(fields.Many2Many(
            'callcenter.ticket', None, None, "Tickets"), 'get_waiting')
    age_days = fields.Function(fields.Integer(
            "Age (days)", help="Days since the shortage was raised."),
        'get_age_days')

    @classmethod
    def get_waiting(cls, requests, names):
        result = {n: {} for n in names}
        for request in requests:
            sales = []
            for line in request.sale_lines:
                if line.sale not in sales:
                    sales.append(line.sale)
            if not sales and request.origin and getattr(
                    request.origin, '__name__', None) == 'sale.sale':
                sales.append(request.origin)
            values = {
                'waiting_orders': [s.id for s in sales],
                'waiting_count': len(sales),
                'customers': ', '.join(dict.fromkeys(
                        s.party.rec_name for s in sales)),
                'tickets': list(dict.fromkeys(
                        s.ticket.id for s in sales if s.ticket)),
                }
            for name in names:
                result[name][request.id] = values[name]
        return result

    @classmethod
    def get_age_days(cls, requests, name):
        now = dt.datetime.now()
        return {r.id: (now - r.create_date).days if r.create_date else None
            for r in requests}


class ShipmentIn(metaclass=PoolMeta):
    __name__ = 'stock.shipment.in'

    def assign_supplied(self, grouping=('product',), filter_=None):
        """After sale_supply assigned the waiting customer shipments, tell
        whoever took the orders."""
        pool = Pool()
        SaleLine = pool.get('sale.line')
        super().assign_supplied(grouping=grouping, filter_=filter_)
        move_ids = [m.id for m in self.incoming_moves]
        lines = SaleLine.search([
                ('purchase_request.purchase_line.moves', 'in', move_ids),
                ('purchase_request.origin', 'like', 'sale.sale,%'),
                ])
        by_sale = defaultdict(list)
        for line in lines:
            by_sale[line.sale].append(line)
        with Transaction().set_context(_check_access=False):
            for sale, sale_lines in by_sale.items():
                sale.notify_supplied(sale_lines)
