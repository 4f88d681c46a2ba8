"Courier tracking on the shipment, the order and the ticket."
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from .batch_tools import (
    StockTestCase, create_batch, create_party, create_product, create_sale,
    ship)


def create_carrier(name="SF Express"):
    pool = Pool()
    Carrier = pool.get('carrier')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    unit, = Uom.search([('name', '=', 'Unit')])
    template, = Template.create([{'name': "Delivery", 'type': 'service',
                'default_uom': unit.id, 'products': [('create', [{}])]}])
    carrier, = Carrier.create([{
                'party': create_party(name).id,
                'carrier_product': template.products[0].id,
                'tracking_url': 'https://www.sf-express.com/track?num={number}',
                }])
    return carrier


class TrackingTestCase(StockTestCase):
    "Test courier tracking"

    @with_transaction()
    def test_tracking_number_on_sale_and_ticket(self):
        "The courier's number and page show on the order and its ticket"
        pool = Pool()
        Type = pool.get('callcenter.ticket.type')
        Ticket = pool.get('callcenter.ticket')
        Sale = pool.get('sale.sale')
        company = create_company()
        with set_company(company):
            product = create_product()
            create_batch(create_party("Supplier"), [(product, 5)])
            customer = create_party("Liu Yang")
            type_, = Type.create([{'name': "Order"}])
            ticket, = Ticket.create([{'type': type_.id,
                        'subject': "Order", 'party': customer.id}])
            sale = create_sale(customer, [(product, 1)], process=False)
            sale.ticket = ticket
            sale.save()
            Sale.quote([sale])
            Sale.confirm([sale])
            Sale.process([sale])
            shipment = ship(sale, create_carrier(), 'SF1234567890')
        url = 'https://www.sf-express.com/track?num=SF1234567890'
        self.assertEqual(shipment.tracking_url, url)
        self.assertEqual(sale.tracking_numbers, 'SF1234567890')
        self.assertEqual(sale.tracking_url, url)
        self.assertEqual(ticket.tracking_numbers, 'SF1234567890')
        self.assertEqual(ticket.tracking_url, url)

    @with_transaction()
    def test_no_tracking_without_number(self):
        "An order not yet handed to a courier shows no tracking"
        company = create_company()
        with set_company(company):
            product = create_product()
            create_batch(create_party("Supplier"), [(product, 5)])
            sale = create_sale(create_party("Liu Yang"), [(product, 1)])
        self.assertIsNone(sale.tracking_numbers)
        self.assertIsNone(sale.tracking_url)

