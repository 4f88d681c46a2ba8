"Stock history by operation type, derived from the stock moves."
import datetime as dt

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .batch_tools import (
    StockTestCase, WAREHOUSE, create_batch, create_party, create_product,
    create_sale, create_user, ship)


class HistoryTestCase(StockTestCase):
    "Test the stock history"

    @with_transaction()
    def test_history_by_operation(self):
        "Inbound, consumption, restore and return to vendor each show once"
        pool = Pool()
        History = pool.get('callcenter.stock.history')
        Sale = pool.get('sale.sale')
        Return = pool.get('stock.shipment.in.return')
        company = create_company()
        with set_company(company):
            product = create_product()
            supplier = create_party("Supplier")
            clerk = create_user('clerk', company, *WAREHOUSE)
            with Transaction().set_user(clerk.id):
                batch = create_batch(supplier, [(product, 20)])
            shipped = create_sale(create_party("Wang Fang"), [(product, 4)])
            ship(shipped)
            rolled_back = create_sale(
                create_party("Chen Jie"), [(product, 2)])
            Sale.cancel_unshipped([rolled_back])
            vendor_return = batch._get_vendor_return()
            vendor_return.moves[0].quantity = 5
            vendor_return.save()
            Return.wait([vendor_return])
            Return.assign_try([vendor_return])
            Return.do([vendor_return])

            with Transaction().set_user(clerk.id), \
                    Transaction().set_context(_check_access=True):
                lines = History.search([('product', '=', product.id)])
                by_type = {(l.operation, l.quantity) for l in lines}
                inbound, = History.search([('operation', '=', 'inbound')])
                exported = History.export_data(
                    lines, ['operation', 'product/rec_name', 'quantity',
                        'date', 'user/rec_name'])
        self.assertEqual(by_type, {('inbound', 20), ('consumption', 4),
                ('restore', 2), ('vendor_return', 5)})
        self.assertEqual(inbound.document, batch)
        self.assertEqual(inbound.user, clerk)
        self.assertEqual(inbound.date, dt.date.today())
        self.assertEqual(len(exported), 4)
        self.assertIn('Clerk', {row[4] for row in exported})

    @with_transaction()
    def test_agent_cannot_read_history(self):
        "The stock history is for warehouse staff, not agents"
        History = Pool().get('callcenter.stock.history')
        company = create_company()
        with set_company(company):
            create_batch(create_party("Supplier"), [(create_product(), 1)])
            agent = create_user(
                'agent', company, ('callcenter_base', 'group_agent'))
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                with self.assertRaises(AccessError):
                    History.search([])

