"Fixtures shared by the order and replenishment tests."
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction


def create_user(login, company, *groups):
    """A user of company in groups given as 'module.xml_id' (the module
    defaults to callcenter_base)."""
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    ids = []
    for group in groups:
        module, _, xml_id = group.rpartition('.')
        ids.append(ModelData.get_id(module or 'callcenter_base', xml_id))
    user, = User.create([{
                'login': login, 'name': login.title(),
                'groups': [('add', ids)],
                'companies': [('add', [company.id])],
                'company': company.id,
                }])
    return user


def setup_sales():
    "No invoicing on order, so that no chart of accounts is needed."
    pool = Pool()
    SaleConfig = pool.get('sale.configuration')
    PurchaseConfig = pool.get('purchase.configuration')
    SaleConfig.write([SaleConfig(1)], {'sale_invoice_method': 'manual'})
    PurchaseConfig.write([PurchaseConfig(1)],
        {'purchase_invoice_method': 'manual'})


def create_product(name, code=None, price='12'):
    pool = Pool()
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    Category = pool.get('product.category')
    unit, = Uom.search([('name', '=', 'Unit')])
    # taxes are read from the accounting category (none here)
    category, = Category.search([('name', '=', "Goods")]) or Category.create(
        [{'name': "Goods", 'accounting': True}])
    template, = Template.create([{
                'account_category': category.id,
                'name': name, 'code': code, 'type': 'goods',
                'default_uom': unit.id,
                'salable': True, 'sale_uom': unit.id,
                'purchasable': True, 'purchase_uom': unit.id,
                'list_price': Decimal(price),
                'products': [('create', [{}])],
                }])
    product, = template.products
    return product


def warehouse():
    Location = Pool().get('stock.location')
    wh, = Location.search([('code', '=', 'WH')])
    return wh


def put_in_stock(product, quantity, company):
    "Receive quantity of product in the warehouse's storage."
    pool = Pool()
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    supplier, = Location.search([('code', '=', 'SUP')])
    move, = Move.create([{
                'product': product.id, 'unit': product.default_uom.id,
                'quantity': quantity, 'from_location': supplier.id,
                'to_location': warehouse().storage_location.id,
                'unit_price': Decimal('5'), 'currency': company.currency.id,
                'company': company.id,
                }])
    with Transaction().set_context(_skip_warnings=True):
        Move.do([move])
    return move


def create_customer(name="Wang Fang"):
    Party = Pool().get('party.party')
    party, = Party.create([{
                'name': name,
                'addresses': [('create', [{'street': "1 Renmin Road",
                                'city': "Hangzhou"}])],
                }])
    return party


def create_ticket(party, **values):
    pool = Pool()
    Type = pool.get('callcenter.ticket.type')
    Ticket = pool.get('callcenter.ticket')
    type_, = Type.search([('name', '=', "Order")]) or Type.create([{
                'name': "Order", 'slas': [('create', [{
                                'priority': 'normal',
                                'response_hours': 2,
                                'resolution_hours': 8}])]}])
    ticket, = Ticket.create([dict(type=type_.id, subject="Order by phone",
                party=party.id, **values)])
    return ticket
