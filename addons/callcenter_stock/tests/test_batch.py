"Inbound batches: numbers, payment, merge payment, return to vendor."
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .batch_tools import (
    StockTestCase, WAREHOUSE, create_batch, create_party, create_product,
    create_user, on_hand)


class BatchTestCase(StockTestCase):
    "Test inbound batches"

    def merge_payment(self, records, **start):
        "Run Merge Payment launched from batches with the start values."
        MergePayment = Pool().get(
            'callcenter.stock.merge_payment', type='wizard')
        session_id, _, _ = MergePayment.create()
        with Transaction().set_context(active_model='stock.shipment.in',
                active_ids=[r.id for r in records],
                active_id=records[0].id if records else None):
            defaults = MergePayment.execute(session_id, {}, 'start')
            values = {k: v for k, v in defaults['view']['defaults'].items()
                if '.' not in k}
            values.update(start)
            MergePayment.execute(session_id, {'start': values}, 'pay')
        return values

    @with_transaction()
    def test_batch_number_from_sequence(self):
        "Each supplier shipment gets its own RK<year>- batch number"
        company = create_company()
        with set_company(company):
            supplier = create_party("Hangzhou Filters Co.")
            product = create_product()
            first = create_batch(supplier, [(product, 10)])
            second = create_batch(supplier, [(product, 5)], receive=False)
        year = dt.date.today().year
        self.assertRegex(first.batch_number, rf'^RK{year}-\d{{5}}$')
        self.assertNotEqual(first.batch_number, second.batch_number)
        self.assertIn(first.batch_number, first.rec_name)
        self.assertEqual(on_hand(product), 10)

    @with_transaction()
    def test_payment_date_only_when_paid(self):
        "An unpaid batch refuses a payment date"
        pool = Pool()
        Shipment = pool.get('stock.shipment.in')
        company = create_company()
        with set_company(company):
            batch = create_batch(
                create_party("Supplier"), [(create_product(), 1)])
            with self.assertRaises(UserError):
                Shipment.write([batch], {'payment_date': dt.date.today()})
            Shipment.write([batch], {'paid': True,
                    'payment_date': dt.date.today(),
                    'payment_method': 'cash'})
        self.assertTrue(batch.paid)

    @with_transaction()
    def test_merge_payment_pays_supplier_unpaid_batches(self):
        "Merge Payment marks every unpaid batch of the supplier paid at once"
        company = create_company()
        with set_company(company):
            product = create_product()
            supplier = create_party("Ningbo Motors")
            other = create_party("Other Supplier")
            unpaid = [create_batch(supplier, [(product, q)]) for q in (3, 4)]
            pending = create_batch(supplier, [(product, 2)], receive=False)
            foreign = create_batch(other, [(product, 1)])
            clerk = create_user('clerk', company, *WAREHOUSE)
            with Transaction().set_user(clerk.id), \
                    Transaction().set_context(_check_access=True):
                values = self.merge_payment(unpaid[:1],
                    payment_date=dt.date(2026, 12, 1),
                    payment_method='bank_transfer')
                self.assertEqual(values['supplier'], supplier.id)
                # the supplier's other unpaid batches are offered too
                start = self.start_with_supplier(company, supplier)
                self.assertEqual(set(start),
                    {b.id for b in unpaid + [pending]} - {unpaid[0].id})
                self.merge_payment(unpaid[1:], batches=start,
                    payment_date=dt.date(2026, 12, 2),
                    payment_method='cash')
        for batch in unpaid + [pending]:
            self.assertTrue(batch.paid, batch.rec_name)
        self.assertEqual(unpaid[0].payment_method, 'bank_transfer')
        self.assertEqual(unpaid[1].payment_date, dt.date(2026, 12, 2))
        self.assertFalse(foreign.paid)

    def start_with_supplier(self, company, supplier):
        Start = Pool().get('callcenter.stock.merge_payment.start')
        start = Start(company=company, supplier=supplier)
        start.on_change_supplier()
        return [b.id for b in start.batches]

    @with_transaction()
    def test_return_to_vendor(self):
        "Returning a batch to its vendor takes the goods out of stock"
        pool = Pool()
        Return = pool.get('stock.shipment.in.return')
        Shipment = pool.get('stock.shipment.in')
        ReturnToVendor = pool.get(
            'callcenter.stock.return_to_vendor', type='wizard')
        company = create_company()
        with set_company(company):
            product = create_product()
            supplier = create_party("Faulty Parts Ltd")
            batch = create_batch(supplier, [(product, 8)])
            Shipment.pay([batch], dt.date(2026, 11, 30), 'cash')
            clerk = create_user('clerk', company, *WAREHOUSE)
            with Transaction().set_user(clerk.id), \
                    Transaction().set_context(_check_access=True):
                session_id, _, _ = ReturnToVendor.create()
                with Transaction().set_context(
                        active_model='stock.shipment.in',
                        active_ids=[batch.id], active_id=batch.id):
                    result = ReturnToVendor.execute(session_id, {}, 'start')
                (_, data), = result['actions']
                shipment, = Return.browse(data['res_id'])
                Return.wait([shipment])
                Return.assign_try([shipment])
                Return.do([shipment])
            self.assertEqual(on_hand(product), 0)
        self.assertEqual(shipment.batch, batch)
        self.assertTrue(shipment.paid)
        self.assertEqual(shipment.supplier, supplier)
        self.assertEqual(batch.vendor_returns, (shipment,))

    @with_transaction()
    def test_unreceived_batch_cannot_go_back(self):
        "A batch not yet received cannot be returned to its vendor"
        company = create_company()
        with set_company(company):
            batch = create_batch(
                create_party("Supplier"), [(create_product(), 1)],
                receive=False)
            with self.assertRaises(UserError):
                batch._get_vendor_return()

    @with_transaction()
    def test_agent_cannot_see_batches(self):
        "Agents do not read the warehouse's batches"
        pool = Pool()
        Shipment = pool.get('stock.shipment.in')
        company = create_company()
        with set_company(company):
            batch = create_batch(
                create_party("Supplier"), [(create_product(), 1)])
            agent = create_user(
                'agent', company, ('callcenter_base', 'group_agent'))
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                with self.assertRaises(AccessError):
                    Shipment.read([batch.id], ['batch_number'])

