"Rollback and returns: cancelled orders and return tickets restore stock."
from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .batch_tools import (
    StockTestCase, create_batch, create_party, create_product, create_sale,
    create_user, forecast, on_hand, ship)


class ReturnsTestCase(StockTestCase):
    "Test rollback and returns"

    def stocked_product(self, quantity=10):
        product = create_product()
        create_batch(create_party("Supplier"), [(product, quantity)])
        return product

    @with_transaction()
    def test_cancel_unshipped_order_restores_stock(self):
        "Cancelling an order not shipped yet gives its reserved stock back"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Shipment = pool.get('stock.shipment.out')
        company = create_company()
        with set_company(company):
            product = self.stocked_product(10)
            sale = create_sale(create_party("Li Wei"), [(product, 3)])
            shipment, = sale.shipments
            Shipment.assign_try([shipment])
            self.assertEqual(shipment.state, 'assigned')
            self.assertEqual(forecast(product), 7)
            Sale.cancel_unshipped([sale])
            self.assertEqual(forecast(product), 10)
            self.assertEqual(on_hand(product), 10)
        self.assertEqual(shipment.state, 'cancelled')
        self.assertEqual(sale.shipment_state, 'none')

    @with_transaction()
    def test_shipped_order_cannot_be_cancelled(self):
        "An order whose goods left cannot be rolled back, only returned"
        Sale = Pool().get('sale.sale')
        company = create_company()
        with set_company(company):
            product = self.stocked_product(10)
            sale = create_sale(create_party("Li Wei"), [(product, 2)])
            ship(sale)
            with self.assertRaises(UserError):
                Sale.cancel_unshipped([sale])
            self.assertEqual(on_hand(product), 8)

    @with_transaction()
    def test_deleting_draft_order_keeps_stock(self):
        "Deleting an order before confirmation leaves the stock untouched"
        Sale = Pool().get('sale.sale')
        company = create_company()
        with set_company(company):
            product = self.stocked_product(5)
            sale = create_sale(
                create_party("Li Wei"), [(product, 4)], process=False)
            Sale.delete([sale])
            self.assertEqual(forecast(product), 5)

    @with_transaction()
    def test_return_ticket_brings_goods_back(self):
        "A return sub-ticket makes a return order; receiving it restocks"
        pool = Pool()
        Type = pool.get('callcenter.ticket.type')
        Ticket = pool.get('callcenter.ticket')
        ShipmentReturn = pool.get('stock.shipment.out.return')
        company = create_company()
        with set_company(company):
            product = self.stocked_product(10)
            customer = create_party("Zhang Min")
            sale = create_sale(customer, [(product, 3)])
            ship(sale)
            self.assertEqual(on_hand(product), 7)
            sales_type, return_type = Type.create([
                    {'name': "Order"},
                    {'name': "Return goods", 'return_goods': True}])
            order_ticket, = Ticket.create([{'type': sales_type.id,
                        'subject': "Order", 'party': customer.id}])
            agent = create_user('agent', company,
                ('callcenter_base', 'group_agent'),
                ('sale', 'group_sale'))
            with Transaction().set_user(agent.id):
                ticket, = Ticket.create([{
                            'type': return_type.id, 'party': customer.id,
                            'subject': "Returns a faulty purifier",
                            'parent': order_ticket.id,
                            'returned_sale': sale.id,
                            }])
                Ticket.create_return([ticket])
            return_sale = ticket.return_sale
            self.assertEqual(return_sale.origin, sale)
            self.assertEqual(return_sale.lines[0].quantity, -3)
            self.assertEqual(return_sale.state, 'processing')
            shipment, = return_sale.shipment_returns
            self.assertEqual(on_hand(product), 7)
            ShipmentReturn.receive([shipment])
            ShipmentReturn.do([shipment])
            self.assertEqual(on_hand(product), 10)
            with self.assertRaises(UserError):
                Ticket.create_return([ticket])

    @with_transaction()
    def test_return_needs_return_type(self):
        "Only a return goods ticket with an order can return goods"
        pool = Pool()
        Type = pool.get('callcenter.ticket.type')
        Ticket = pool.get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            type_, = Type.create([{'name': "Complaint"}])
            ticket, = Ticket.create([{'type': type_.id, 'subject': "Noise"}])
            with self.assertRaises(UserError):
                Ticket.create_return([ticket])

