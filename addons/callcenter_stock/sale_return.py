from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import OrderShippedError, ReturnTicketError


class TicketType(metaclass=PoolMeta):
    __name__ = 'callcenter.ticket.type'
    return_goods = fields.Boolean(
        "Return Goods",
        help="Tickets of this type take goods of an order back: "
        "a return order and a customer return shipment.")


class Ticket(metaclass=PoolMeta):
    __name__ = 'callcenter.ticket'
    return_goods = fields.Function(
        fields.Boolean("Return Goods"), 'on_change_with_return_goods')
    returned_sale = fields.Many2One(
        'sale.sale', "Order to Return",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('party', '=', Eval('party', -1)),
            ('state', 'in', ['processing', 'done']),
            ],
        states={
            'invisible': ~Eval('return_goods'),
            'readonly': Bool(Eval('return_sale')),
            },
        help="The customer's order whose goods come back.")
    return_sale = fields.Many2One(
        'sale.sale', "Return Order", readonly=True,
        states={'invisible': ~Eval('return_goods')},
        help="The return made by Tryton's Return Sale; its customer "
        "return shipment puts the goods back in stock when received.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'create_return': {
                    'invisible': (~Eval('return_goods')
                        | Bool(Eval('return_sale'))),
                    'readonly': ~Eval('returned_sale'),
                    'depends': ['return_goods', 'return_sale',
                        'returned_sale'],
                    },
                })

    @fields.depends('type')
    def on_change_with_return_goods(self, name=None):
        return bool(self.type and self.type.return_goods)

    @classmethod
    def copy(cls, tickets, default=None):
        default = dict(default or {})
        default.setdefault('return_sale')
        return super().copy(tickets, default=default)

    @classmethod
    @ModelView.button
    def create_return(cls, tickets):
        "Return the goods of each ticket's order (Return Sale)."
        Sale = Pool().get('sale.sale')
        for ticket in tickets:
            ticket._check_return()
        returns = []
        for ticket in tickets:
            ticket.return_sale = ticket._return_sale()
            returns.append(ticket.return_sale)
        cls.save(tickets)
        Sale.quote(returns)
        Sale.confirm(returns)
        Sale.process(returns)

    def _check_return(self):
        if not self.return_goods or not self.returned_sale:
            raise ReturnTicketError(gettext(
                    'callcenter_stock.msg_return_ticket_no_order',
                    ticket=self.rec_name))
        if self.return_sale:
            raise ReturnTicketError(gettext(
                    'callcenter_stock.msg_return_ticket_done',
                    ticket=self.rec_name, sale=self.return_sale.rec_name))

    def _return_sale(self):
        "Run Tryton's Return Sale wizard on the order; the new return."
        pool = Pool()
        Sale = pool.get('sale.sale')
        ReturnSale = pool.get('sale.return_sale', type='wizard')
        sale = self.returned_sale
        session_id, _, _ = ReturnSale.create()
        with Transaction().set_context(active_model='sale.sale',
                active_id=sale.id, active_ids=[sale.id]):
            result = ReturnSale.execute(session_id, {}, 'return_')
        ReturnSale.delete(session_id)
        (_, data), = result['actions']
        return_sale, = Sale.browse(data['res_id'])
        return_sale.description = self.rec_name
        return_sale.save()
        return return_sale


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'cancel_unshipped': {
                    'invisible': Eval('state') != 'processing',
                    'depends': ['state'],
                    },
                })

    @classmethod
    @ModelView.button
    def cancel_unshipped(cls, sales):
        "Cancel orders not shipped yet; their reserved stock is restored."
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        Line = pool.get('sale.line')
        for sale in sales:
            sale._check_unshipped()
        Shipment.cancel([s for sale in sales for s in sale.shipments
                if s.state != 'cancelled'])
        for sale in sales:
            cls._cancel_invoices(sale)
            for line in sale.lines:
                moves = [m for m in line.moves if m.state == 'cancelled'
                    and m not in line.moves_ignored]
                if moves:
                    Line.write([line], {
                            'moves_ignored': [('add', [m.id for m in moves])],
                            })
        cls.process(sales)

    def _check_unshipped(self):
        if any(m.state == 'done' for m in self.moves):
            raise OrderShippedError(gettext(
                    'callcenter_stock.msg_order_shipped',
                    sale=self.rec_name))

    @classmethod
    def _cancel_invoices(cls, sale):
        Invoice = Pool().get('account.invoice')
        invoices = [i for i in sale.invoices
            if i.state in {'draft', 'validated'}]
        if invoices:
            Invoice.cancel(invoices)
