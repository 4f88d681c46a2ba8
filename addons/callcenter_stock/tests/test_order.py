"Orders taken on tickets: prefilled, found by pinyin, forecast per line."
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    create_customer, create_product, create_ticket, create_user,
    put_in_stock, setup_sales, warehouse)


PRICE = Decimal('12')


class OrderTestCase(_DBTestCase):
    "Orders on calls and tickets"
    module = 'callcenter_stock'
    extras = ['callcenter_cti']

    @with_transaction()
    def test_products_found_by_pinyin_and_code(self):
        "An agent finds 柠檬茶 by typing ningmeng, nmc or its code"
        Product = Pool().get('product.product')
        company = create_company()
        with set_company(company):
            tea = create_product("柠檬茶", code='T-01')
            create_product("绿茶", code='T-02')
            for text in ['ningmeng', 'NMC', 'T-01', '柠檬']:
                self.assertEqual(
                    Product.search([('rec_name', 'ilike', f'%{text}%')]),
                    [tea], text)
            tea.template.name = "菊花茶"
            tea.template.save()
            self.assertEqual(
                Product.search([('rec_name', 'ilike', '%jhc%')]), [tea])
            self.assertEqual(
                Product.search([('rec_name', 'ilike', '%nmc%')]), [])

    @with_transaction()
    def test_new_order_from_ticket(self):
        """New order on another agent's ticket opens a draft sale with the
        customer, their address, the ticket; the ticket and the customer
        list it; each line shows the forecast"""
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        NewOrder = pool.get('callcenter.stock.new_order', type='wizard')
        company = create_company()
        agent = create_user('agent', company, 'group_agent')
        with set_company(company):
            setup_sales()
            customer = create_customer()
            tea = create_product("柠檬茶", code='T-01')
            put_in_stock(tea, 30, company)
            ticket = create_ticket(customer, assignee=agent.id)
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                session_id, _, _ = NewOrder.create()
                with Transaction().set_context(
                        active_model='callcenter.ticket',
                        active_id=ticket.id, active_ids=[ticket.id]):
                    result = NewOrder.execute(session_id, {}, 'open_')
                action = result['actions'][0][0]
                sale, = Sale.browse(action['res_id'])
                self.assertEqual(action['res_model'], 'sale.sale')
                self.assertEqual(
                    (sale.state, sale.party, sale.ticket, sale.taken_by),
                    ('draft', customer, ticket, agent))
                self.assertEqual(sale.shipment_address,
                    customer.addresses[0])
                self.assertEqual(sale.warehouse, warehouse())
                line, = Line.create([{'sale': sale.id, 'product': tea.id,
                            'quantity': 4, 'unit': tea.default_uom.id,
                            'unit_price': PRICE}])
                self.assertEqual(line.forecast_quantity, 30)
                self.assertEqual(Sale(sale.id).ticket.sales, (sale,))
                self.assertIn(sale, customer.__class__(customer.id).sale_orders)

    @with_transaction()
    def test_confirm_consumes_stock(self):
        "A confirmed order ships from stock: the forecast drops"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Product = pool.get('product.product')
        company = create_company()
        agent = create_user('agent', company, 'group_agent')
        with set_company(company):
            setup_sales()
            customer = create_customer()
            tea = create_product("柠檬茶")
            put_in_stock(tea, 30, company)
            with Transaction().set_user(agent.id):
                with Transaction().set_context(_check_access=True):
                    sale, = Sale.create([{
                                'party': customer.id,
                                'lines': [('create', [{
                                                'product': tea.id,
                                                'quantity': 4,
                                                'unit': tea.default_uom.id,
                                                'unit_price': PRICE,
                                                }])]}])
                    sale.on_change_party()
                    sale.save()
                    Sale.quote([sale])
                    Sale.confirm([sale])
                Sale.process([sale])  # the queue task the confirm pushed
            self.assertEqual(sale.state, 'processing')
            shipment, = sale.shipments
            self.assertEqual(shipment.state, 'waiting')
            with Transaction().set_context(locations=[warehouse().id]):
                self.assertEqual(Product(tea.id).forecast_quantity, 26)
                self.assertEqual(Product(tea.id).quantity, 30)
            line, = sale.lines
            self.assertEqual(line.purchase_request, None)


del _DBTestCase
