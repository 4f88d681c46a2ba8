"Selling without stock: one replenishment per shortage, closed on receipt."
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    create_customer, create_product, create_ticket, create_user,
    setup_sales, warehouse)

PRICE = Decimal('12')


def take_order(user, customer, product, quantity, ticket=None):
    "As user (checked like the web client): create, quote and confirm."
    Sale = Pool().get('sale.sale')
    with Transaction().set_user(user.id):
        with Transaction().set_context(_check_access=True):
            sale = Sale(party=customer, ticket=ticket)
            sale.on_change_party()
            sale.lines = [{'product': product.id, 'quantity': quantity,
                    'unit': product.default_uom.id, 'unit_price': PRICE}]
            sale.save()
            Sale.quote([sale])
            Sale.confirm([sale])
        Sale.process([sale])  # the queue task the confirm pushed
    return sale


class ReplenishmentTestCase(_DBTestCase):
    "Replenishment of orders taken without stock"
    module = 'callcenter_stock'

    @with_transaction()
    def test_shortage_to_receipt(self):
        """Two agents sell a product out of stock: one replenishment task
        lists both orders; warehouse buys it with Tryton's wizard; on
        receipt the shipments are assigned and both agents told"""
        pool = Pool()
        Request = pool.get('purchase.request')
        Purchase = pool.get('purchase.purchase')
        ShipmentIn = pool.get('stock.shipment.in')
        Notification = pool.get('res.notification')
        Party = pool.get('party.party')
        CreatePurchase = pool.get(
            'purchase.request.create_purchase', type='wizard')
        company = create_company()
        agent = create_user('agent', company, 'group_agent')
        other = create_user('other', company, 'group_agent')
        stock_user = create_user(
            'store', company, 'callcenter_stock.group_warehouse')
        with set_company(company):
            setup_sales()
            supplier, = Party.create([{'name': "Hangzhou Tea Co.",
                        'addresses': [('create', [{'city': "Hangzhou"}])]}])
            wang = create_customer("Wang Fang")
            li = create_customer("Li Lei")
            tea = create_product("柠檬茶")
            ticket = create_ticket(wang, assignee=agent.id)
            first = take_order(agent, wang, tea, 5, ticket=ticket)
            second = take_order(other, li, tea, 3)
            for sale in [first, second]:
                self.assertEqual(sale.state, 'processing')
                shipment, = sale.shipments
                self.assertEqual(
                    {m.state for m in shipment.outgoing_moves}, {'staging'})
            # processed again (as the queue may): still one task
            pool.get('sale.sale').process([first, second])

            with Transaction().set_user(stock_user.id), \
                    Transaction().set_context(_check_access=True):
                request, = Request.search(
                    [('origin', 'like', 'sale.sale,%')])
                self.assertEqual(
                    (request.product, request.quantity, request.state),
                    (tea, 8, 'draft'))
                self.assertEqual(request.waiting_count, 2)
                self.assertEqual(set(request.waiting_orders), {first, second})
                self.assertEqual(
                    set(request.customers.split(", ")), {"Wang Fang", "Li Lei"})
                self.assertEqual(request.tickets, (ticket,))
                self.assertEqual(request.age_days, 0)
                self.assertEqual(request.warehouse, warehouse())
                Request.write([request], {'party': supplier.id})
                session_id, _, _ = CreatePurchase.create()
                with Transaction().set_context(
                        active_model='purchase.request',
                        active_id=request.id, active_ids=[request.id]):
                    CreatePurchase.execute(session_id, {}, 'start')
            purchase, = Purchase.search([])
            self.assertEqual(purchase.party, supplier)
            purchase_line, = purchase.lines
            purchase_line.unit_price = Decimal('5')
            purchase_line.save()
            Purchase.quote([purchase])
            Purchase.confirm([purchase])
            Purchase.process([purchase])
            pool.get('sale.sale').process([first, second])
            shipment_in, = ShipmentIn.create([{
                        'supplier': supplier.id,
                        'warehouse': warehouse().id,
                        'company': company.id,
                        'incoming_moves': [
                            ('add', [m.id for m in purchase.moves])],
                        }])
            ShipmentIn.receive([shipment_in])
            ShipmentIn.do([shipment_in])

            for sale in [first, second]:
                shipment, = sale.shipments
                self.assertEqual(shipment.state, 'assigned')
            self.assertEqual(Request(request.id).state, 'done')
            told = Notification.search([('model', '=', 'sale.sale')])
            self.assertEqual(
                sorted((n.user.login, n.label) for n in told),
                sorted([('agent', f"Goods arrived for order "
                            f"{first.rec_name}: 柠檬茶"),
                        ('other', f"Goods arrived for order "
                            f"{second.rec_name}: 柠檬茶")]))

    @with_transaction()
    def test_no_task_when_in_stock_or_not_allowed(self):
        """With stock, no task; when the setting forbids selling without
        stock, the agent is stopped"""
        pool = Pool()
        Request = pool.get('purchase.request')
        Configuration = pool.get('callcenter.stock.configuration')
        company = create_company()
        agent = create_user('agent', company, 'group_agent')
        with set_company(company):
            setup_sales()
            from .tools import put_in_stock
            wang = create_customer()
            tea = create_product("柠檬茶")
            put_in_stock(tea, 10, company)
            take_order(agent, wang, tea, 4)
            self.assertEqual(Request.search([]), [])
            Configuration.write([Configuration(1)],
                {'sell_without_stock': False})
            with self.assertRaisesRegex(Exception, "quantity .* is lower"):
                take_order(agent, wang, tea, 40)


del _DBTestCase
