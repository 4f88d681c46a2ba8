"Fixtures shared by the stock tests: users, products and documents."
import unittest
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module
from trytond.transaction import Transaction


PRICE = Decimal('899')


class StockTestCase(unittest.TestCase):
    "A database with callcenter_stock active, without the structural tests"

    @classmethod
    def setUpClass(cls):
        activate_module('callcenter_stock')


def create_user(login, company, *groups):
    "A user of company in groups given as (module, xml id)."
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'login': login, 'name': login.title(),
                'groups': [('add', [ModelData.get_id(m, g) for m, g in groups])],
                'companies': [('add', [company.id])],
                'company': company.id,
                }])
    return user


WAREHOUSE = [('stock', 'group_stock')]


def locations():
    "The default warehouse's storage, supplier and customer locations."
    Location = Pool().get('stock.location')
    warehouse, = Location.search([('code', '=', 'WH')])
    supplier, = Location.search([('code', '=', 'SUP')])
    customer, = Location.search([('code', '=', 'CUS')])
    return warehouse, supplier, customer


def create_product(name="Air Purifier", price=PRICE):
    pool = Pool()
    Uom = pool.get('product.uom')
    Template = pool.get('product.template')
    unit, = Uom.search([('name', '=', 'Unit')])
    template, = Template.create([{
                'name': name, 'type': 'goods',
                'default_uom': unit.id, 'salable': True,
                'sale_uom': unit.id, 'list_price': price,
                'products': [('create', [{}])],
                }])
    product, = template.products
    return product


def create_party(name):
    Party = Pool().get('party.party')
    party, = Party.create([{'name': name, 'addresses': [('create', [{}])]}])
    return party


def create_batch(supplier, lines, receive=True):
    "A supplier shipment of (product, quantity) lines, received if asked."
    pool = Pool()
    Shipment = pool.get('stock.shipment.in')
    warehouse, supplier_location, _ = locations()
    company = Transaction().context['company']
    shipment, = Shipment.create([{
                'supplier': supplier.id, 'warehouse': warehouse.id,
                'warehouse_input': warehouse.input_location.id,
                'warehouse_storage': warehouse.storage_location.id,
                'company': company,
                'incoming_moves': [('create', [{
                                'product': p.id, 'unit': p.default_uom.id,
                                'quantity': q,
                                'from_location': supplier_location.id,
                                'to_location': warehouse.input_location.id,
                                'unit_price': Decimal('100'),
                                'currency': pool.get('company.company')(
                                    company).currency.id,
                                'company': company,
                                } for p, q in lines])],
                }])
    if receive:
        # no purchase behind the batch: the clerk skips the origin warning
        with Transaction().set_context(_skip_warnings=True):
            Shipment.receive([shipment])
            Shipment.do([shipment])
    return shipment


def forecast(product, date=None):
    "Quantity of product in the warehouse, reservations included."
    pool = Pool()
    Product = pool.get('product.product')
    Date = pool.get('ir.date')
    warehouse, _, _ = locations()
    with Transaction().set_context(locations=[warehouse.id],
            stock_date_end=date or Date.today()):
        return Product(product.id).forecast_quantity


def on_hand(product):
    pool = Pool()
    Product = pool.get('product.product')
    warehouse, _, _ = locations()
    with Transaction().set_context(locations=[warehouse.id]):
        return Product(product.id).quantity


def create_sale(party, lines, process=True):
    "A confirmed and processed order of (product, quantity) lines."
    pool = Pool()
    Sale = pool.get('sale.sale')
    warehouse, _, _ = locations()
    sale, = Sale.create([{
                'party': party.id, 'warehouse': warehouse.id,
                'invoice_method': 'manual',
                'shipment_method': 'order',
                'invoice_address': party.addresses[0].id,
                'shipment_address': party.addresses[0].id,
                'lines': [('create', [{
                                'product': p.id, 'unit': p.default_uom.id,
                                'quantity': q, 'unit_price': PRICE,
                                } for p, q in lines])],
                }])
    if process:
        Sale.quote([sale])
        Sale.confirm([sale])
        Sale.process([sale])
    return sale


def ship(sale, carrier=None, tracking_number=None):
    "Assign, pick, pack and send the order's shipment."
    Shipment = Pool().get('stock.shipment.out')
    shipment, = sale.shipments
    if carrier or tracking_number:
        shipment.carrier = carrier
        shipment.tracking_number = tracking_number
        shipment.save()
    Shipment.assign_try([shipment])
    Shipment.pick([shipment])
    Shipment.pack([shipment])
    Shipment.do([shipment])
    return shipment
